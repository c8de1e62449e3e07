package com.onlinedukan.telegram;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.onlinedukan.support.FakeBotApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What one instance learns from Telegram holds for every instance and after a restart: a
 * {@code retry_after} pause and a migrated chat (PostgreSQL), and the bot's budget (Redis).
 */
class SharedStateTests {

    final TelegramFixture fixture = new TelegramFixture();
    final FakeBotApi telegram = fixture.telegram;

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void retryAfterSeenByOneInstanceHoldsForAnotherAndAfterARestart() {
        BotApiSender a = fixture.sender();
        BotApiSender b = fixture.sender();
        telegram.rateLimitNext(3);

        assertThat(a.send("x")).isInstanceOf(SendOutcome.RetryAfter.class);
        Instant answered = Instant.now();
        assertThat(b.send("y")).isInstanceOfSatisfying(SendOutcome.NotSent.class,
                n -> assertThat(n.retryIn()).isGreaterThan(Duration.ofSeconds(2)));
        BotApiSender restarted = fixture.sender();
        assertThat(restarted.readyIn()).isGreaterThan(Duration.ofSeconds(2));
        assertThat(restarted.send("z")).isInstanceOf(SendOutcome.NotSent.class);
        assertThat(restarted.status().pausedUntil()).isAfter(answered.plusSeconds(2));
        assertThat(telegram.requests()).hasSize(1);

        await().atMost(Duration.ofSeconds(5)).until(() -> restarted.send("after the pause") instanceof SendOutcome.Delivered);
        assertThat(Duration.between(answered, telegram.accepted().get(0).at())).isGreaterThan(Duration.ofMillis(2900));
    }

    @Test
    void migratedChatIdIsUsedByASecondInstanceAndAfterARestart() {
        BotApiSender a = fixture.sender();
        BotApiSender b = fixture.sender();
        assertThat(b.status().chatId()).isEqualTo(TelegramFixture.CHAT);
        telegram.migrateNext("-1007777");

        assertThat(a.send("moved")).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(b.send("from b")).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(fixture.sender().send("after a restart")).isInstanceOf(SendOutcome.Delivered.class);

        assertThat(telegram.accepted()).extracting(FakeBotApi.Request::chatId).containsOnly("-1007777");
        assertThat(telegram.requests()).extracting(FakeBotApi.Request::chatId)
                .containsExactly(TelegramFixture.CHAT, "-1007777", "-1007777", "-1007777");
        assertThat(b.status().chatId()).isEqualTo("-1007777");
    }

    @Test
    void twoInstancesTogetherNeverExceedTheBotLimitInAnySecond() throws Exception {
        fixture.rate = new TelegramClientProperties.Rate(4, 100_000, 10_000);
        List<BotApiSender> instances = List.of(fixture.sender(), fixture.sender());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        try {
            List<Callable<Integer>> workers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                BotApiSender sender = instances.get(i % 2);
                workers.add(() -> {
                    int delivered = 0;
                    while (System.nanoTime() < until) {
                        if (sender.send("burst") instanceof SendOutcome.Delivered) {
                            delivered++;
                        }
                    }
                    return delivered;
                });
            }
            int delivered = 0;
            for (Future<Integer> worker : pool.invokeAll(workers)) {
                delivered += worker.get();
            }
            assertThat(delivered).isEqualTo(telegram.accepted().size()).isGreaterThanOrEqualTo(8);
        }
        finally {
            pool.shutdownNow();
        }
        List<Instant> arrivals = telegram.accepted().stream().map(FakeBotApi.Request::at).sorted().toList();
        for (int i = 0; i + 4 < arrivals.size(); i++) {
            assertThat(Duration.between(arrivals.get(i), arrivals.get(i + 4)))
                    .as("five sends within one second, from #%d", i).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
    }
}
