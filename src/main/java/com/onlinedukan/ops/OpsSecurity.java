package com.onlinedukan.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * HTTP Basic with the {@code dukan.ops} credential for the SRE surface; customers' endpoints,
 * health, prometheus and the API docs stay open. Stateless: no session, no cookie, so no CSRF.
 */
@Configuration(proxyBeanMethods = false)
class OpsSecurity {

    private static final Logger log = LoggerFactory.getLogger(OpsSecurity.class);
    static final String ROLE = "OPS";

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus").permitAll()
                        .requestMatchers("/api/ops/**", "/ops", "/ops/**", "/actuator", "/actuator/**").hasRole(ROLE)
                        .anyRequest().permitAll())
                .httpBasic(basic -> basic.realmName("OnlineDukan ops"))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService opsUsers(OpsProperties ops, PasswordEncoder encoder) {
        if (!ops.open()) {
            log.warn("/api/ops/**, /ops and the actuator (but health and prometheus) are closed: "
                    + "set DUKAN_OPS_PASSWORD (and DUKAN_OPS_USERNAME, default 'ops') to open them");
            return new InMemoryUserDetailsManager();
        }
        return new InMemoryUserDetailsManager(User.withUsername(ops.username())
                .password(encoder.encode(ops.password()))
                .roles(ROLE)
                .build());
    }
}
