package com.onlinedukan.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Property: a paced scan keeps to its share of the time however long its runs take (however large its
 * tables), and while it is quick it runs at every tick of its schedule.
 */
class ScanPaceTests {

    /**
     * A fixed-delay schedule ticks every {@code tickMillis} after the last tick ended; each run takes
     * what the list says, from nothing to two minutes. After every run the ticks before the pause
     * {@code run × (1 − share) / share} is over are skipped, the first after it runs the scan, and no
     * run with the pause before it took more than the share.
     */
    @Property(tries = 500)
    void noRunsOfAnyLengthTakeMoreThanTheShare(
            @ForAll @Size(min = 1, max = 40) List<@LongRange(max = 120_000) Long> runMillis,
            @ForAll @DoubleRange(min = 0.001, max = 1.0) @Scale(4) double share,
            @ForAll @LongRange(min = 1, max = 60_000) long tickMillis) {
        AtomicLong now = new AtomicLong(TimeUnit.DAYS.toNanos(3));
        ScanPace pace = new ScanPace(share, now::get);
        long tick = TimeUnit.MILLISECONDS.toNanos(tickMillis);
        long took = -1;
        for (long millis : runMillis) {
            long run = TimeUnit.MILLISECONDS.toNanos(millis);
            if (took >= 0) {
                long endedAt = now.get();
                long pause = (long) Math.ceil(took * (1 - share) / share);
                long ticks = Math.max(1, (pause + tick - 1) / tick);
                if (ticks > 1) {
                    now.set(endedAt + (ticks - 1) * tick);
                    assertThat(pace.runIfDue(() -> now.addAndGet(run))).as("a tick before the pause is over").isFalse();
                }
                now.set(endedAt + ticks * tick);
                assertThat((double) took / (took + ticks * tick)).isLessThanOrEqualTo(share + 1e-9);
            }
            assertThat(pace.runIfDue(() -> now.addAndGet(run))).as("the first tick after the pause").isTrue();
            took = run;
        }
    }

    /**
     * With the schedulers Spring Boot configures (a pool of platform threads; with virtual threads on,
     * SimpleAsyncTaskScheduler) and a fixed delay of 10 ms: a scan that takes 200 ms, at most a fifth of
     * the time, runs about once a second, one run at a time.
     */
    @ParameterizedTest
    @ValueSource(strings = {"platform threads", "virtual threads"})
    void springsSchedulersKeepASlowScanToItsShare(String threads) throws Exception {
        TaskScheduler scheduler;
        if (threads.equals("platform threads")) {
            ThreadPoolTaskScheduler pool = new ThreadPoolTaskScheduler();
            pool.setPoolSize(4);
            pool.initialize();
            scheduler = pool;
        }
        else {
            SimpleAsyncTaskScheduler simple = new SimpleAsyncTaskScheduler();
            simple.setVirtualThreads(Runtime.version().feature() >= 21);
            scheduler = simple;
        }
        ScanPace pace = new ScanPace(0.2);
        List<long[]> runs = new ArrayList<>();
        try {
            ScheduledFuture<?> ticks = scheduler.scheduleWithFixedDelay(() -> pace.runIfDue(() -> {
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
            }), java.time.Duration.ofMillis(10));
            Thread.sleep(3_500);
            ticks.cancel(false);
        }
        finally {
            if (scheduler instanceof ThreadPoolTaskScheduler pool) {
                pool.shutdown();
            }
            else {
                ((SimpleAsyncTaskScheduler) scheduler).close();
            }
        }
        synchronized (runs) {
            // Unpaced (every 10 ms after the last) it would have run 16 times; paced, once per 200 + 800 ms.
            assertThat(runs).hasSizeBetween(3, 4);
            for (int i = 1; i < runs.size(); i++) {
                long pauseMillis = (runs.get(i)[0] - runs.get(i - 1)[1]) / 1_000_000;
                assertThat(pauseMillis).as("the pause before run %d", i).isGreaterThanOrEqualTo(790);
            }
        }
    }

    @Test
    void aShareOutsideZeroToOneIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ScanPace(0)).withMessageContaining("(0, 1]");
        assertThatIllegalArgumentException().isThrownBy(() -> new ScanPace(1.5));
        assertThatIllegalArgumentException().isThrownBy(() -> new ScanPace(Double.NaN));
    }
}
