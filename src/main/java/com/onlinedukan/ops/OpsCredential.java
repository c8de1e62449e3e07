package com.onlinedukan.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Checks the {@code dukan.ops} credential. The password is high-entropy configuration, not a
 * person's password, so a slow hash (bcrypt) buys nothing but ~100 ms of CPU per request — and
 * the ops page polls every 2 s. Only SHA-256 digests are kept in memory, compared in constant time
 * ({@link MessageDigest#isEqual}); failures are throttled per client address and user name
 * ({@link LoginThrottle}), and a correct credential is never refused.
 */
final class OpsCredential implements org.springframework.security.authentication.AuthenticationProvider {

    private static final List<GrantedAuthority> OPS = List.of(new SimpleGrantedAuthority("ROLE_" + OpsSecurity.ROLE));

    private final byte[] username;
    private final byte[] password;
    private final LoginThrottle throttle;
    private final Counter accepted;
    private final Counter rejected;
    private final Counter throttled;

    OpsCredential(OpsProperties ops, LoginThrottle throttle, MeterRegistry meters) {
        this.username = digest(ops.username());
        // Closed (no password): nothing can match, but the check costs the same.
        this.password = ops.open() ? digest(ops.password()) : null;
        this.throttle = throttle;
        this.accepted = checks(meters, "accepted");
        this.rejected = checks(meters, "rejected");
        this.throttled = checks(meters, "throttled");
    }

    /**
     * The credential is judged first and a correct one is always accepted, whatever failed before
     * from the same address; a wrong one counts against its client and attempted user name, and
     * past the limit is answered 429 instead of 401.
     */
    @Override
    public Authentication authenticate(Authentication presented) throws AuthenticationException {
        if (matches(presented)) {
            accepted.increment();
            return UsernamePasswordAuthenticationToken.authenticated(presented.getName(), null, OPS);
        }
        String client = clientOf(presented);
        if (throttle.exhausted(client, presented.getName())) {
            throttled.increment();
            throw new LoginsThrottled();
        }
        throttle.failed(client, presented.getName());
        rejected.increment();
        throw new BadCredentialsException("Bad credentials");
    }

    /**
     * For the open endpoints (health, prometheus): a correct credential shows what it may see, and
     * anything else is ignored there, never counted nor throttled — a probe or scraper with a stale
     * header, or a stranger, must not cost an SRE anything on the ops API.
     */
    org.springframework.security.authentication.AuthenticationProvider quietly() {
        return new org.springframework.security.authentication.AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication presented) {
                if (!matches(presented)) {
                    throw new BadCredentialsException("Bad credentials");
                }
                return UsernamePasswordAuthenticationToken.authenticated(presented.getName(), null, OPS);
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return OpsCredential.this.supports(authentication);
            }
        };
    }

    private boolean matches(Authentication presented) {
        boolean userMatches = MessageDigest.isEqual(username, digest(presented.getName()));
        boolean passwordMatches = MessageDigest.isEqual(password == null ? new byte[32] : password,
                digest(String.valueOf(presented.getCredentials())));
        return password != null & userMatches & passwordMatches;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private static String clientOf(Authentication presented) {
        return presented.getDetails() instanceof WebAuthenticationDetails web && web.getRemoteAddress() != null
                ? web.getRemoteAddress() : "unknown";
    }

    private static Counter checks(MeterRegistry meters, String outcome) {
        return Counter.builder("dukan.ops.credential.checks")
                .description("Ops credential checks (HTTP Basic) on the ops API, page and actuator, by outcome; throttled: "
                        + "a wrong one past the client's limit (429)")
                .tag("outcome", outcome)
                .register(meters);
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(String.valueOf(text).getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** Too many failed logins from this client for this user name within a minute: answered 429. */
    static final class LoginsThrottled extends AuthenticationException {

        LoginsThrottled() {
            super("Too many failed logins from this client; try again in a minute");
        }
    }
}
