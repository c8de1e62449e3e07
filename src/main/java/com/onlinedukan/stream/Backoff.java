package com.onlinedukan.stream;

import java.time.Duration;

/**
 * A pause after a failure that grows from 100 ms, doubling, to 5 s, so a lasting fault is
 * neither a hot loop nor a long silence. It starts over on {@link #reset()}, or by itself when
 * the previous failure is longer ago than {@code quiet} (a new outage, not the same one going on).
 */
final class Backoff {

    static final Duration FIRST = Duration.ofMillis(100);
    static final Duration MAX = Duration.ofSeconds(5);

    private final Duration quiet;
    private Duration current = Duration.ZERO;
    private long lastFailure;

    Backoff(Duration quiet) {
        this.quiet = quiet;
    }

    /** Called on a failure: the pause to take before trying again. */
    synchronized Duration next() {
        long now = System.nanoTime();
        if (!current.isZero() && now - lastFailure > quiet.toNanos()) {
            current = Duration.ZERO;
        }
        lastFailure = now;
        current = current.isZero() ? FIRST : min(current.multipliedBy(2), MAX);
        return current;
    }

    synchronized void reset() {
        current = Duration.ZERO;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
