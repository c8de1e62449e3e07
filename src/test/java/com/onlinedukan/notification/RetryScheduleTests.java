package com.onlinedukan.notification;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryScheduleTests {

    final RetrySchedule schedule = new RetrySchedule(Duration.ofMillis(200), Duration.ofSeconds(5), 4, Duration.ofHours(1));

    @Test
    void firstRetryWaitsTheInitialBackoff() {
        assertThat(schedule.delayAfter(1)).isEqualTo(Duration.ofMillis(200));
    }

    @RepeatedTest(50)
    void laterRetriesAreJitteredBetweenInitialAndTheDoubledCap() {
        assertThat(schedule.delayAfter(3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(800));
        assertThat(schedule.delayAfter(30)).isBetween(Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    @Test
    void jitterSpreadsTheDelays() {
        long distinct = java.util.stream.IntStream.range(0, 50).mapToObj(i -> schedule.delayAfter(6)).distinct().count();
        assertThat(distinct).isGreaterThan(10);
    }

    final Instant now = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void givesUpOnlyWhenBothItsAttemptsAndItsTimeAreSpent() {
        Instant longAgo = now.minus(Duration.ofHours(2));
        assertThat(schedule.exhausted(3, longAgo, now)).as("time spent, attempts left").isFalse();
        assertThat(schedule.exhausted(4, now.minusSeconds(30), now)).as("attempts spent, time left").isFalse();
        assertThat(schedule.exhausted(4, null, now)).as("a first failure starts the clock").isFalse();
        assertThat(schedule.exhausted(4, longAgo, now)).isTrue();
        assertThat(schedule.exhausted(4, now.minus(Duration.ofHours(1)), now)).as("to the second").isTrue();
    }
}
