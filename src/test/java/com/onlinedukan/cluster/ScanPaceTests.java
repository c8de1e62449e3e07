package com.onlinedukan.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.SimpleTriggerContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A paced scan keeps to its share of the time however long its runs take (its tables' size), and
 * runs at its interval while it is quick.
 */
class ScanPaceTests {

    /**
     * Whatever each run takes, from nothing to two minutes: every run and the pause after it together
     * hold the run for at most the share, and no pause is shorter than the interval.
     */
    @Property(tries = 300)
    void noRunsOfAnyLengthTakeMoreThanTheShare(@ForAll @Size(min = 1, max = 40) List<@LongRange(max = 120_000) Long> runMillis,
            @ForAll @DoubleRange(min = 0.001, max = 1.0) @Scale(4) double share, @ForAll @LongRange(max = 60_000) long intervalMillis) {
        Instant start = Instant.parse("2026-12-07T00:00:00Z");
        ScanPace pace = new ScanPace(Duration.ofSeconds(1), Duration.ofMillis(intervalMillis), share);
        SimpleTriggerContext context = new SimpleTriggerContext(Clock.fixed(start, ZoneOffset.UTC));
        Instant next = pace.nextExecution(context);
        assertThat(next).isEqualTo(start.plusSeconds(1));
        for (long took : runMillis) {
            Instant ended = next.plusMillis(took);
            context.update(next, next, ended);
            Instant following = pace.nextExecution(context);
            Duration pause = Duration.between(ended, following);
            assertThat(pause).isGreaterThanOrEqualTo(Duration.ofMillis(intervalMillis));
            double period = took + pause.toNanos() / 1e6;
            if (period > 0) {
                assertThat(took / period).isLessThanOrEqualTo(share + 1e-9);
            }
            next = following;
        }
    }

    /** With Spring's own scheduler: a scan that takes 200 ms, at most a fifth of the time, runs about once a second. */
    @Test
    void springsSchedulerKeepsASlowScanToItsShare() throws Exception {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.initialize();
        List<long[]> runs = new ArrayList<>();
        try {
            ScheduledFuture<?> scan = scheduler.schedule(() -> {
                long began = System.nanoTime();
                try {
                    Thread.sleep(200);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                synchronized (runs) {
                    runs.add(new long[] {began, System.nanoTime()});
                }
            }, new ScanPace(Duration.ZERO, Duration.ofMillis(10), 0.2));
            Thread.sleep(3_500);
            scan.cancel(false);
        }
        finally {
            scheduler.shutdown();
        }
        synchronized (runs) {
            // Unpaced (every 10 ms) it would have run 16 times; paced, once per 200 + 800 ms.
            assertThat(runs).hasSizeBetween(3, 4);
            for (int i = 1; i < runs.size(); i++) {
                long pauseMillis = (runs.get(i)[0] - runs.get(i - 1)[1]) / 1_000_000;
                assertThat(pauseMillis).isGreaterThanOrEqualTo(790);
            }
        }
    }

    @Test
    void aShareOutsideZeroToOneIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ScanPace(Duration.ZERO, Duration.ofSeconds(5), 0))
                .withMessageContaining("(0, 1]");
        assertThatIllegalArgumentException().isThrownBy(() -> new ScanPace(Duration.ZERO, Duration.ofSeconds(5), 1.5));
        assertThatIllegalArgumentException().isThrownBy(() -> new ScanPace(Duration.ZERO, Duration.ofSeconds(-5), 0.5));
    }
}
