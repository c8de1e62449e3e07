package com.onlinedukan.telegram;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the client makes of Telegram's refusals, over HTTP: an answer is {@link SendOutcome.Permanent}
 * only when its wording is one proven to be about the message; every other 4xx (not a 429, not a
 * migration), whatever it says, is {@link SendOutcome.Refused}. And a send bound to start by a
 * moment never leaves after it, however long the waits before the call (a PostgreSQL pool wait here).
 */
class TelegramAnswerJudgementTests {

    static final List<String> ABOUT_THE_MESSAGE = List.of(
            "Bad Request: message is too long",
            "Bad Request: message text is empty",
            "Bad Request: text must be non-empty",
            "Bad Request: can't parse entities: Unsupported start tag \"%s\" at byte offset %d",
            "Bad Request: can't parse entities: Can't find end of the entity starting at byte offset %d",
            "Bad Request: BUTTON_DATA_INVALID",
            "Bad Request: can't parse inline keyboard button: %s",
            "Bad Request: reply markup is too long");

    final TelegramFixture fixture = new TelegramFixture();
    final BotApiSender sender = fixture.sender();
    final Random random = new Random();

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Invented wordings of every refusing status, none of them on any list: each pauses, none is Permanent. */
    @Test
    void anyRefusalNotProvenAboutTheMessageIsARefusalOfTheChat() {
        int[] statuses = { 400, 401, 403, 404, 406, 409 };
        for (int i = 0; i < 24; i++) {
            int status = statuses[random.nextInt(statuses.length)];
            String description = (status == 400 ? "Bad Request: " : "Forbidden: ") + invented();
            fixture.telegram.failNext(1, status, description);

            assertThat(sender.send("x")).as("%d %s", status, description).isInstanceOfSatisfying(
                    SendOutcome.Refused.class, r -> assertThat(r.error()).contains(description));
        }
    }

    /** The known wordings about a message, with whatever they carry varied, are Permanent. */
    @Test
    void errorsProvenAboutTheMessageArePermanentWhateverTheyCarry() {
        for (String wording : ABOUT_THE_MESSAGE) {
            String description = String.format(wording.replace("%d", "%2$d").replace("%s", "%1$s"),
                    invented(), random.nextInt(5000));
            fixture.telegram.failNext(1, 400, description);

            assertThat(sender.send("x")).as(description).isInstanceOfSatisfying(
                    SendOutcome.Permanent.class, p -> assertThat(p.error()).contains(description));
        }
    }

    /**
     * The start-by bound covers the waits before the call: with every pooled PostgreSQL
     * connection taken, the sender waits for one to read the chat's state; when that wait outlasts
     * the bound, nothing reaches Telegram.
     */
    @Test
    void aSendNeverStartsAfterItsStartByEvenWhenThePoolMadeItWait() throws Exception {
        List<Connection> taken = new ArrayList<>();
        for (int i = 0; i < fixture.dataSource().getMaximumPoolSize(); i++) {
            taken.add(fixture.dataSource().getConnection());
        }
        long startBy = System.nanoTime() + Duration.ofMillis(300).toNanos();
        CompletableFuture<SendOutcome> outcome = CompletableFuture.supplyAsync(() -> sender.send("late", startBy));
        try {
            // The pool gives a connection back only once the bound has passed.
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> System.nanoTime() - startBy > Duration.ofMillis(200).toNanos());
            assertThat(outcome).as("the sender waits for a connection").isNotDone();
        }
        finally {
            for (Connection connection : taken) {
                connection.close();
            }
        }
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(SendOutcome.NotSent.class,
                n -> assertThat(n.reason()).isEqualTo(BotApiSender.TOO_LATE));
        assertThat(fixture.telegram.requests()).isEmpty();
        assertThat(sender.send("in time", System.nanoTime() + Duration.ofSeconds(5).toNanos()))
                .isInstanceOf(SendOutcome.Delivered.class);
    }

    private String invented() {
        StringBuilder text = new StringBuilder();
        int words = 1 + random.nextInt(4);
        for (int i = 0; i < words; i++) {
            text.append(i == 0 ? "" : random.nextBoolean() ? " " : "_")
                    .append(Long.toString(Math.abs(random.nextLong()), 36).toUpperCase(java.util.Locale.ROOT));
        }
        return text.toString();
    }
}
