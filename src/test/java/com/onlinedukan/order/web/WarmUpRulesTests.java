package com.onlinedukan.order.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up ends when the JIT has settled: once it compiled for under 15 % of the last 3 s, never
 * on a shorter look and never before it may end; where the JVM does not measure compilation, only
 * its time limit ends it. And it calls the server where it listens, and not at all over TLS.
 */
class WarmUpRulesTests {

    private static final long HALF_SECOND = Duration.ofMillis(500).toNanos();

    private final AtomicLong compiledMillis = new AtomicLong();
    private long now = 1_000_000_000L;

    @Test
    void aJitCompilingUnder15PercentOfTheLastThreeSecondsHasSettled() {
        OrderWarmUp.Jit jit = new OrderWarmUp.Jit(now, compiledMillis::get);

        // Busy: 400 ms of compilation every half second, for 5 s.
        for (int i = 0; i < 10; i++) {
            assertThat(jit.settled(now, true)).isFalse();
            tick(400);
        }
        // Quiet from here: 70 ms a half second is 14 %, but the window still holds busy samples.
        for (int i = 0; i < 6; i++) {
            assertThat(jit.settled(now, true)).as("half-second %d of quiet", i).isFalse();
            tick(70);
        }
        assertThat(jit.settled(now, true)).as("three quiet seconds").isTrue();
    }

    @Test
    void fifteenPercentOrMoreIsNotSettled() {
        OrderWarmUp.Jit jit = new OrderWarmUp.Jit(now, compiledMillis::get);

        for (int i = 0; i < 40; i++) {
            assertThat(jit.settled(now, true)).isFalse();
            tick(75);
        }
    }

    @Test
    void aQuietJitDoesNotEndAWarmUpThatMayNotEndYet() {
        OrderWarmUp.Jit jit = new OrderWarmUp.Jit(now, compiledMillis::get);

        for (int i = 0; i < 20; i++) {
            assertThat(jit.settled(now, false)).isFalse();
            tick(0);
        }
        assertThat(jit.settled(now, true)).isTrue();
    }

    @Test
    void withoutCompilationTimesOnlyTheLimitEndsIt() {
        OrderWarmUp.Jit jit = new OrderWarmUp.Jit(now, () -> -1);

        for (int i = 0; i < 40; i++) {
            assertThat(jit.settled(now, true)).isFalse();
            now += HALF_SECOND;
        }
    }

    @Test
    void theWarmUpCallsTheAddressTheServerListensOn() {
        assertThat(OrderWarmUp.host(null)).isEqualTo("127.0.0.1");
        assertThat(OrderWarmUp.host("0.0.0.0")).isEqualTo("127.0.0.1");
        assertThat(OrderWarmUp.host("::")).isEqualTo("127.0.0.1");
        assertThat(OrderWarmUp.host("127.0.0.2")).isEqualTo("127.0.0.2");
        assertThat(OrderWarmUp.host("::1")).isEqualTo("[0:0:0:0:0:0:0:1]");
    }

    @Test
    void thereIsNoWarmUpWhenTheServerSpeaksTls() {
        assertThat(OrderWarmUp.speaksTls(new MockEnvironment())).isFalse();
        assertThat(OrderWarmUp.speaksTls(new MockEnvironment().withProperty("server.ssl.enabled", "false"))).isFalse();
        assertThat(OrderWarmUp.speaksTls(new MockEnvironment().withProperty("server.ssl.enabled", "true"))).isTrue();
        assertThat(OrderWarmUp.speaksTls(new MockEnvironment().withProperty("server.ssl.bundle", "web"))).isTrue();
    }

    private void tick(long compiled) {
        compiledMillis.addAndGet(compiled);
        now += HALF_SECOND;
    }
}
