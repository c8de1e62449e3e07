package com.onlinedukan.telegram;

import java.time.Duration;

import com.onlinedukan.support.TestServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code telegram} health component, and the dry-run sender it reports on without a token. */
class TelegramHealthTests {

    @Test
    void dryRunDeliversWithNegativeIdsAndWarns() {
        DryRunSender dryRun = new DryRunSender("-100");

        assertThat(dryRun.send("<b>hi</b>")).isEqualTo(new SendOutcome.Delivered(-1));
        assertThat(dryRun.send("again")).isEqualTo(new SendOutcome.Delivered(-2));
        assertThat(dryRun.readyIn()).isZero();
        assertThat(dryRun.probe()).isEqualTo(new SendOutcome.Delivered(0));
        assertThat(dryRun.status().dryRun()).isTrue();

        Health health = new TelegramHealth(dryRun, new SharedBudgets(new TelegramClientProperties.Rate(30, 20, 1), "test:dry", "1", null)).health();
        assertThat(health.getStatus()).isEqualTo(new Status("WARNING"));
        assertThat(health.getDetails()).containsEntry("dryRun", true).containsEntry("chatId", "-100");
    }

    @Test
    void healthIsUpWhileTheCircuitIsClosedAndWarnsWhileItIsOpen() {
        try (TelegramFixture fixture = new TelegramFixture()) {
            fixture.circuit = new TelegramClientProperties.Circuit(50, 2, 2, Duration.ofSeconds(30));
            BotApiSender sender = fixture.sender();
            TelegramHealth health = new TelegramHealth(sender, fixture.budgets);
            assertThat(sender.send("first")).isInstanceOf(SendOutcome.Delivered.class);

            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            assertThat(health.health().getDetails()).containsEntry("circuit", "CLOSED")
                    .containsEntry("chatId", TelegramFixture.CHAT).containsEntry("dryRun", false)
                    .containsEntry("budgets", "standalone");

            fixture.telegram.failAll(500, "Internal Server Error");
            sender.send("x");
            sender.send("x");
            assertThat(health.health().getStatus()).isEqualTo(new Status("WARNING"));
            assertThat(health.health().getDetails()).containsEntry("circuit", "OPEN");
        }
    }

    @Test
    void healthWarnsWhileTheSendBudgetsAreThisInstancesOwn() throws Exception {
        RedisClient nowhere = RedisClient.create("redis://localhost:" + TestServers.freePort());
        try (TelegramFixture fixture = new TelegramFixture();
                SharedBudgets local = new SharedBudgets(fixture.rate, "test:nowhere", "1",
                        () -> RedisBuckets.on(nowhere.connect(ByteArrayCodec.INSTANCE)))) {
            TelegramHealth health = new TelegramHealth(fixture.sender(), local);
            local.tryTakeBot();

            assertThat(health.health().getStatus()).isEqualTo(new Status("WARNING"));
            assertThat(health.health().getDetails()).containsEntry("circuit", "CLOSED")
                    .hasEntrySatisfying("budgets", budgets -> assertThat(budgets.toString()).startsWith("local: "));
        }
        finally {
            nowhere.shutdown();
        }
    }
}
