package com.onlinedukan.ops;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ops credential check is a digest comparison: cheap enough for a page polling every 2 s. */
class OpsCredentialTests {

    static final String PASSWORD = "TEST-unit-password-never-logged";

    final OpsCredential credential = new OpsCredential(
            new OpsProperties("sre", PASSWORD, Duration.ofDays(365), 10), new LoginThrottle(10), new SimpleMeterRegistry());

    @Test
    void aThousandChecksTakeLessThanOneBcrypt() {
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            assertThat(credential.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("sre", PASSWORD))
                    .isAuthenticated()).isTrue();
        }
        // bcrypt at Spring's default strength takes ~100 ms per check: a thousand would take minutes.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void wrongUserOrPasswordIsRefusedWithoutSayingWhich() {
        assertThatThrownBy(() -> credential.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("sre", "x")))
                .isInstanceOf(BadCredentialsException.class).hasMessage("Bad credentials");
        assertThatThrownBy(() -> credential.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("ops", PASSWORD)))
                .isInstanceOf(BadCredentialsException.class).hasMessage("Bad credentials");
    }

    @Test
    void withoutAPasswordNothingIsAccepted() {
        OpsCredential closed = new OpsCredential(new OpsProperties("ops", null, Duration.ofDays(1), 10),
                new LoginThrottle(10), new SimpleMeterRegistry());
        assertThatThrownBy(() -> closed.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("ops", "")))
                .isInstanceOf(BadCredentialsException.class);
        assertThatThrownBy(() -> closed.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("ops", "null")))
                .isInstanceOf(BadCredentialsException.class);
    }

    /**
     * Whatever the limit and however many wrong credentials came from the client before, the right
     * one is accepted; the wrong ones past the limit are throttled, per user name they tried.
     */
    @Test
    void theRightCredentialIsNeverThrottledAndGuessesAreThrottledPerUserName() {
        for (int limit : new int[] { 1, 3, 10 }) {
            OpsCredential check = new OpsCredential(new OpsProperties("sre", PASSWORD, Duration.ofDays(1), limit),
                    new LoginThrottle(limit), new SimpleMeterRegistry());
            for (int i = 0; i < limit * 3; i++) {
                String guess = "guess" + i;
                assertThatThrownBy(() -> check.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("sre", guess)))
                        .isInstanceOf(i < limit ? BadCredentialsException.class : OpsCredential.LoginsThrottled.class);
                assertThat(check.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("sre", PASSWORD))
                        .isAuthenticated()).as("the right one after %d wrong", i + 1).isTrue();
            }
            assertThatThrownBy(() -> check.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("other", "x")))
                    .as("another user name has its own budget").isInstanceOf(BadCredentialsException.class);
        }
    }

    /**
     * A password mounted from a file, with its line break, is the password the SRE types; spaces
     * around it are kept (they may be meant), so only they must be typed too.
     */
    @Test
    void aPasswordMountedWithALineBreakIsThePasswordWithoutIt() {
        for (String mounted : new String[] { PASSWORD + "\n", PASSWORD + "\r\n", "\n" + PASSWORD + "\n\n" }) {
            OpsCredential check = new OpsCredential(new OpsProperties("sre", mounted, Duration.ofDays(1), 10),
                    new LoginThrottle(10), new SimpleMeterRegistry());
            assertThat(check.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("sre", PASSWORD))
                    .isAuthenticated()).as(mounted.replace("\n", "\\n").replace("\r", "\\r")).isTrue();
        }
        OpsCredential spaced = new OpsCredential(new OpsProperties("sre", " " + PASSWORD + " ", Duration.ofDays(1), 10),
                new LoginThrottle(10), new SimpleMeterRegistry());
        assertThatThrownBy(() -> spaced.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("sre", PASSWORD)))
                .isInstanceOf(BadCredentialsException.class);
        assertThat(spaced.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("sre", " " + PASSWORD + " "))
                .isAuthenticated()).isTrue();
    }

    @Test
    void thePasswordNeverShowsInTheProperties() {
        assertThat(new OpsProperties("sre", PASSWORD, Duration.ofDays(1), 10).toString()).doesNotContain(PASSWORD);
    }
}
