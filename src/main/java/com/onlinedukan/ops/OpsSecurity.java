package com.onlinedukan.ops;

import java.net.URI;

import com.onlinedukan.web.ProblemTypes;
import com.onlinedukan.web.Problems;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * HTTP Basic with the {@code dukan.ops} credential for the SRE surface; customers' endpoints,
 * health, prometheus and the API docs stay open. Two filter chains and none for the customer API, so
 * that an {@code Authorization} header sent to a customer's path is never even checked; on health it
 * is, to show the details, and a wrong one is ignored there. Stateless: no session, no cookie, so no
 * CSRF token — cross-site requests are refused by {@link CrossSiteRequests}.
 */
@Configuration(proxyBeanMethods = false)
class OpsSecurity {

    private static final Logger log = LoggerFactory.getLogger(OpsSecurity.class);
    static final String ROLE = "OPS";
    private static final String REALM = "OnlineDukan ops";

    @Bean
    @Order(1)
    SecurityFilterChain opsFilterChain(HttpSecurity http, OpsCredential credential) throws Exception {
        RequestMatcher sre = anyOf("/api/ops/**", "/ops", "/ops/**", "/actuator", "/actuator/**");
        RequestMatcher open = anyOf("/actuator/health", "/actuator/health/**", "/actuator/prometheus");
        http.securityMatcher(new AndRequestMatcher(sre, new NegatedRequestMatcher(open)))
                .authorizeHttpRequests(requests -> requests.anyRequest().hasRole(ROLE))
                // This chain's own manager with the one provider: no parent that would check a second time.
                .authenticationManager(new ProviderManager(credential))
                .httpBasic(basic -> basic.realmName(REALM).authenticationEntryPoint(entryPoint()))
                // Not a bean: a Filter bean would also be registered with the servlet container for every path.
                .addFilterBefore(new CrossSiteRequests(), BasicAuthenticationFilter.class)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    /**
     * Health and prometheus are open to probes and scrapers; an SRE's credential, when sent, shows
     * the health components' details (show-details: when-authorized). A wrong one is ignored, never
     * refused and never counted ({@link OpsCredential#quietly()}): a probe with a stale header must not
     * take the instance out of service, and a stranger's failures here must not throttle the ops API.
     */
    @Bean
    @Order(0)
    SecurityFilterChain probeFilterChain(HttpSecurity http, OpsCredential credential) throws Exception {
        // Without an entry point the filter ignores a failed check and goes on unauthenticated.
        http.securityMatcher(anyOf("/actuator/health", "/actuator/health/**", "/actuator/prometheus"))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .addFilterAt(new BasicAuthenticationFilter(new ProviderManager(credential.quietly())),
                        BasicAuthenticationFilter.class)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    // Everything else (the customer API, the API docs) matches no chain at all: Spring Security lets
    // it through untouched. A permit-all chain of its own cost a tenth of an order's CPU (JFR of the
    // 8-client benchmark) for filters that had nothing to do.

    /**
     * A bean, so Spring Boot does not make up a user with a generated password (which it would
     * log), and so tests can read its counters.
     */
    @Bean
    OpsCredential opsCredential(OpsProperties ops, LoginThrottle throttle, MeterRegistry meters) {
        if (!ops.open()) {
            log.warn("/api/ops/**, /ops and the actuator (but health and prometheus) are closed: "
                    + "set DUKAN_OPS_PASSWORD (and DUKAN_OPS_USERNAME, default 'ops') to open them");
        }
        return new OpsCredential(ops, throttle, meters);
    }

    @Bean
    LoginThrottle loginThrottle(OpsProperties ops) {
        return new LoginThrottle(ops.failedLoginsPerMinute());
    }

    /**
     * 429 for a throttled client; otherwise the Basic challenge (401, {@code WWW-Authenticate}) with a
     * problem body, as every other error of the service has.
     */
    private static AuthenticationEntryPoint entryPoint() {
        return (request, response, failure) -> {
            if (failure instanceof OpsCredential.LoginsThrottled) {
                log.warn("Refused a wrong ops credential from {} with 429: too many failed logins for that user name "
                        + "within a minute", request.getRemoteAddr());
                response.setHeader("Retry-After", "60");
                Problems.write(response, refusal(HttpStatus.TOO_MANY_REQUESTS, ProblemTypes.TOO_MANY_LOGINS,
                        "Too many failed logins", failure.getMessage(), "throttled"));
                return;
            }
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
            Problems.write(response, Problems.of(HttpStatus.UNAUTHORIZED, ProblemTypes.UNAUTHORIZED, "Unauthorized",
                    "The ops API, the ops page and the actuator need the dukan.ops credential (HTTP Basic)."));
        };
    }

    /**
     * A refused request's problem, with a {@code reason} that says briefly why; every text is our
     * own, never request data.
     */
    static ProblemDetail refusal(HttpStatus status, URI type, String title, String detail, String reason) {
        ProblemDetail problem = Problems.of(status, type, title, detail);
        problem.setProperty("reason", reason);
        return problem;
    }

    private static RequestMatcher anyOf(String... patterns) {
        RequestMatcher[] matchers = new RequestMatcher[patterns.length];
        for (int i = 0; i < patterns.length; i++) {
            matchers[i] = PathPatternRequestMatcher.withDefaults().matcher(patterns[i]);
        }
        return new OrRequestMatcher(matchers);
    }
}
