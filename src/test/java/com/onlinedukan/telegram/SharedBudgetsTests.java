package com.onlinedukan.telegram;

import java.time.Duration;

import com.onlinedukan.support.TestServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The send budgets: never more than the limit in a window, and never held up by Redis. */
class SharedBudgetsTests {

    final TelegramClientProperties.Rate rate = new TelegramClientProperties.Rate(30, 20, 1);

    @Test
    void redisDownFallsBackToLocalBudgetsWithoutHoldingSendsUp() throws Exception {
        RedisClient nowhere = RedisClient.create("redis://localhost:" + TestServers.freePort());
        try (SharedBudgets budgets = new SharedBudgets(rate, "test:nowhere", "1",
                () -> RedisBuckets.on(nowhere.connect(ByteArrayCodec.INSTANCE)))) {
            long started = System.nanoTime();

            assertThat(budgets.tryTake("-100")).isTrue();
            assertThat(budgets.tryTake("-100")).as("the chat's per-second limit holds locally too").isFalse();
            assertThat(budgets.waitFor("-100")).isPositive();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            // Loudly: the gauge and the health component read these.
            assertThat(budgets.shared()).isFalse();
            assertThat(budgets.sharedThrough()).startsWith("local: Redis failed");
        }
        finally {
            nowhere.shutdown();
        }
    }

    @Test
    void chatBudgetNeverLetsMoreThanTheLimitThroughInAMinute() {
        try (SharedBudgets budgets = new SharedBudgets(new TelegramClientProperties.Rate(30, 20, 100), "test:local",
                "1", null)) {
            int taken = 0;
            while (budgets.tryTake("-100")) {
                taken++;
            }
            // A burst of a twentieth of the limit; the other 19 come evenly over the minute.
            assertThat(taken).isEqualTo(1);
            assertThat(budgets.waitFor("-100")).isGreaterThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void aSpentBotBudgetTakesNothingFromTheChat() {
        try (SharedBudgets budgets = new SharedBudgets(new TelegramClientProperties.Rate(4, 100_000, 10_000),
                "test:both", "1", null)) {
            assertThat(budgets.tryTakeBot()).isTrue();
            assertThat(budgets.tryTake("-100")).as("the bot's burst of one is spent").isFalse();
            assertThat(budgets.tryTake("-200")).isFalse();
            assertThat(budgets.waitFor("-100")).isPositive().isLessThan(Duration.ofMillis(400));
        }
    }
}
