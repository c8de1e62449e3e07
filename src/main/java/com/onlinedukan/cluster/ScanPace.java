package com.onlinedukan.cluster;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How often a background scan of the shared database (a gauge's count, an anti-join) may run, so that
 * however large its tables grow it keeps to {@code share} of the time: after a run that took {@code d},
 * the scan waits at least {@code d × (1 − share) / share} before it runs again. The scan stays a
 * fixed-delay {@code @Scheduled} task, which every scheduler Spring Boot configures runs one run at a
 * time, and asks {@link #runIfDue} at each tick; the pace measures the runs itself, by the monotonic
 * clock (a trigger cannot: the scheduler Boot configures with virtual threads reports a trigger task
 * complete once it has been handed to its thread). A count that took 1.5 s on 600,000 outbox rows
 * every 30 s was a twentieth of a database core, and grew with the table; paced at 2 % it waits 73.5 s.
 */
public final class ScanPace {

    private final double share;
    private final LongSupplier nanos;
    private long endedAt;
    private long pauseNanos;
    private boolean ran;
    private boolean running;

    /** @param share the most of the time the scan may take, in (0, 1] */
    public ScanPace(double share) {
        this(share, System::nanoTime);
    }

    ScanPace(double share, LongSupplier nanos) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("a scan's share of the time must be in (0, 1], not " + share);
        }
        this.share = share;
        this.nanos = nanos;
    }

    /** Runs {@code scan} unless its last run ended too recently (or is still running); whether it ran. */
    public boolean runIfDue(Runnable scan) {
        long began;
        synchronized (this) {
            began = nanos.getAsLong();
            if (running || ran && began - endedAt < pauseNanos) {
                return false;
            }
            running = true;
        }
        try {
            scan.run();
        }
        finally {
            synchronized (this) {
                endedAt = nanos.getAsLong();
                pauseNanos = pauseAfter(endedAt - began);
                ran = true;
                running = false;
            }
        }
        return true;
    }

    /** The least pause after a run that took {@code tookNanos}. */
    long pauseAfter(long tookNanos) {
        return (long) Math.ceil(Math.max(0, tookNanos) * (1 - share) / share);
    }

    @Override
    public synchronized String toString() {
        return "at most " + Math.round(share * 1000) / 10.0 + " % of the time, "
                + (ran ? "next after " + TimeUnit.NANOSECONDS.toMillis(pauseNanos) + " ms" : "not run yet");
    }
}
