package com.onlinedukan.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.onlinedukan.support.Threads;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Drives {@code POST /api/orders}: open loop (a fixed arrival rate, each request timed from its
 * intended start, so a stall is charged to every request that should have started during it) or
 * closed loop (N clients, each sending its next order when the last is answered).
 */
final class OrderLoad {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final long MAX_MICROS = TimeUnit.SECONDS.toMicros(120);

    /** One phase's outcome: latencies in microseconds, and each accepted order's 201 time (System.nanoTime). */
    record Result(String name, Histogram latencyMicros, Map<String, Long> accepted, long errors,
            long startNanos, long endNanos) {

        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }

        double perSecond() {
            return accepted.size() / seconds();
        }

        double millis(double percentile) {
            return latencyMicros.getTotalCount() == 0 ? Double.NaN
                    : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private final LeanHttp http;
    private final AtomicLong sequence = new AtomicLong();

    OrderLoad(int port) {
        this.http = new LeanHttp("127.0.0.1", port);
    }

    /** {@code rate} orders a second for {@code duration}; waits for every answer. */
    Result openLoop(String name, double rate, Duration duration) throws InterruptedException {
        Histogram latency = histogram();
        Map<String, Long> accepted = new ConcurrentHashMap<>();
        AtomicLong errors = new AtomicLong();
        long count = Math.round(rate * duration.toNanos() / 1e9);
        double interval = 1e9 / rate;
        long start = System.nanoTime() + 5_000_000;
        ExecutorService senders = Threads.perTask("open-loop");
        {
            for (long i = 0; i < count; i++) {
                long intended = start + Math.round(i * interval);
                long wait;
                while ((wait = intended - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                senders.execute(() -> place(intended, latency, accepted, errors));
            }
            senders.shutdown();
            senders.awaitTermination(10, TimeUnit.MINUTES);
        }
        return new Result(name, latency, accepted, errors.get(), start, System.nanoTime());
    }

    /** {@code clients} clients, each placing orders back to back for {@code duration}. */
    Result closedLoop(String name, int clients, Duration duration) throws InterruptedException {
        Histogram latency = histogram();
        Map<String, Long> accepted = new ConcurrentHashMap<>();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        AtomicLong lastAnswer = new AtomicLong(start);
        ExecutorService senders = Threads.perTask("closed-loop");
        {
            for (int c = 0; c < clients; c++) {
                senders.execute(() -> {
                    while (System.nanoTime() < end) {
                        place(System.nanoTime(), latency, accepted, errors);
                        lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
                    }
                });
            }
            senders.shutdown();
            senders.awaitTermination(10, TimeUnit.MINUTES);
        }
        return new Result(name, latency, accepted, errors.get(), start, lastAnswer.get());
    }

    private void place(long intendedStart, Histogram latency, Map<String, Long> accepted, AtomicLong errors) {
        long n = sequence.incrementAndGet();
        String body = "{\"customer\":{\"name\":\"Bench customer " + n + "\",\"phone\":\"+998901234567\"},"
                + "\"items\":[{\"sku\":\"TEA-001\",\"name\":\"Green tea 100g\",\"quantity\":2,\"unitPrice\":12.50}],"
                + "\"comment\":\"Call before delivery\"}";
        try {
            LeanHttp.Response response = http.postJson("/api/orders", body, 60_000);
            long answered = System.nanoTime();
            latency.recordValue(Math.min(MAX_MICROS, (answered - intendedStart) / 1000));
            Matcher id = ID.matcher(response.body());
            if (response.status() == 201 && id.find()) {
                accepted.put(id.group(1), answered);
            }
            else {
                errors.incrementAndGet();
            }
        }
        catch (Exception e) {
            latency.recordValue(Math.min(MAX_MICROS, (System.nanoTime() - intendedStart) / 1000));
            errors.incrementAndGet();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Histogram histogram() {
        return new ConcurrentHistogram(MAX_MICROS, 3);
    }

    static List<Double> percentiles() {
        return List.of(50.0, 99.0, 99.9);
    }
}
