package com.onlinedukan.notification;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: after the n-th failed attempt the delay is drawn uniformly
 * between {@code initial} and {@code min(max, initial * 2^(n-1))}, so the first retry waits
 * exactly {@code initial} and many failing notifications spread out instead of retrying in step.
 */
record RetrySchedule(Duration initial, Duration max, int maxAttempts) {

    static RetrySchedule of(NotificationProperties.Retry retry) {
        return new RetrySchedule(retry.initialBackoff(), retry.maxBackoff(), retry.maxAttempts());
    }

    boolean exhausted(int attemptsMade) {
        return attemptsMade >= maxAttempts;
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
