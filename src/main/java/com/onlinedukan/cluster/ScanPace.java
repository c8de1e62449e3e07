package com.onlinedukan.cluster;

import java.time.Duration;
import java.time.Instant;

import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.TriggerContext;

/**
 * When a background scan of the shared database (a gauge's count, an anti-join) runs next: every
 * {@code interval} after its last run ended, or later, so that however large its tables grow the scan
 * keeps to {@code share} of the time: a run that took {@code d} is followed by a pause of at least
 * {@code d × (1 − share) / share}. A count that took 1.5 s on 600,000 outbox rows every 30 s was a
 * twentieth of a database core, and grew with the table; paced at 2 % it waits 73.5 s instead.
 */
public final class ScanPace implements Trigger {

    private final Duration firstAfter;
    private final Duration interval;
    private final double share;

    /**
     * @param firstAfter the first run, after the start
     * @param interval   the pause between runs while they are quick
     * @param share      the most of the time the scan may take, in (0, 1]
     */
    public ScanPace(Duration firstAfter, Duration interval, double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("a scan's share of the time must be in (0, 1], not " + share);
        }
        if (firstAfter.isNegative() || interval.isNegative()) {
            throw new IllegalArgumentException("a scan's pauses cannot be negative");
        }
        this.firstAfter = firstAfter;
        this.interval = interval;
        this.share = share;
    }

    @Override
    public Instant nextExecution(TriggerContext context) {
        Instant ended = context.lastCompletion();
        Instant began = context.lastActualExecution();
        if (ended == null || began == null) {
            return context.getClock().instant().plus(firstAfter);
        }
        return ended.plus(pauseAfter(Duration.between(began, ended)));
    }

    /** The pause after a run that took {@code took}. */
    public Duration pauseAfter(Duration took) {
        long tookNanos = Math.max(0, took.toNanos());
        long paced = (long) Math.ceil(tookNanos * (1 - share) / share);
        return interval.compareTo(Duration.ofNanos(paced)) >= 0 ? interval : Duration.ofNanos(paced);
    }

    @Override
    public String toString() {
        return "every " + interval + ", at most " + Math.round(share * 1000) / 10.0 + " % of the time";
    }
}
