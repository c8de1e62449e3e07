package com.onlinedukan.notification;

import java.time.Duration;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryScheduleTests {

    final RetrySchedule schedule = new RetrySchedule(Duration.ofMillis(200), Duration.ofSeconds(5), 4);

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

    @Test
    void givesUpAfterMaxAttempts() {
        assertThat(schedule.exhausted(3)).isFalse();
        assertThat(schedule.exhausted(4)).isTrue();
    }
}
