package com.onlinedukan.notification;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: after the n-th failed attempt the delay is drawn uniformly
 * between {@code initial} and {@code min(max, initial * 2^(n-1))}, so the first retry waits
 * exactly {@code initial} and many failing notifications spread out instead of retrying in step.
 * A notification is given up only when both its attempts and its time are spent: a burst of
 * failures in a minute does not kill it, nor does a day with a single failure.
 */
record RetrySchedule(Duration initial, Duration max, int maxAttempts, Duration giveUpAfter) {

    static RetrySchedule of(NotificationProperties.Retry retry) {
        return new RetrySchedule(retry.initialBackoff(), retry.maxBackoff(), retry.maxAttempts(), retry.giveUpAfter());
    }

    /**
     * Whether a notification whose own failures began at {@code firstFailedAt} (null: this one is
     * its first) is spent once {@code attemptsMade} attempts have failed.
     */
    boolean exhausted(int attemptsMade, Instant firstFailedAt, Instant now) {
        Instant since = firstFailedAt == null ? now : firstFailedAt;
        return attemptsMade >= maxAttempts && !since.plus(giveUpAfter).isAfter(now);
    }

    Duration delayAfter(int attemptsMade) {
        long initialMs = Math.min(initial.toMillis(), max.toMillis());
        long ceiling = initialMs;
        for (int n = 1; n < attemptsMade && ceiling < max.toMillis(); n++) {
            ceiling = Math.min(max.toMillis(), ceiling * 2);
        }
        return Duration.ofMillis(ceiling == initialMs ? initialMs
                : ThreadLocalRandom.current().nextLong(initialMs, ceiling + 1));
    }
}
