package com.onlinedukan.telegram;

import java.time.Duration;

import com.onlinedukan.support.FakeBotApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The circuit over the Bot API: opens when Telegram fails for everyone, and one probe closes it. */
class CircuitBreakerTests {

    final TelegramFixture fixture = new TelegramFixture();
    final FakeBotApi telegram = fixture.telegram;
    final BotApiSender sender;

    CircuitBreakerTests() {
        fixture.circuit = new TelegramClientProperties.Circuit(50, 4, 4, Duration.ofSeconds(1));
        sender = fixture.sender(fixture.meters);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void circuitOpensAfterFailuresThenSendsMakeNoCallAndAnswerNotSent() {
        telegram.failAll(502, "Bad Gateway");

        for (int i = 0; i < 3; i++) {
            assertThat(sender.send("x")).isEqualTo(new SendOutcome.Transient("502 Bad Gateway", false));
        }
        assertThat(sender.send("x")).as("the failure that opens the circuit is widespread")
                .isEqualTo(new SendOutcome.Transient("502 Bad Gateway", true));
        assertThat(sender.status().circuit()).isEqualTo("OPEN");
        assertThat(gauge()).isEqualTo(1);

        SendOutcome refused = sender.send("x");
        assertThat(refused).isInstanceOfSatisfying(SendOutcome.NotSent.class, notSent -> {
            assertThat(notSent.reason()).startsWith("circuit open");
            assertThat(notSent.retryIn()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
        });
        assertThat(sender.probe()).isInstanceOf(SendOutcome.NotSent.class);
        assertThat(sender.readyIn()).isPositive();
        assertThat(telegram.requests()).hasSize(4);
        assertThat(telegram.chatLookups()).isEmpty();
    }

    @Test
    void aSingleHalfOpenProbeClosesTheCircuitWhenTelegramRecovers() {
        telegram.failAll(503, "Service Unavailable");
        for (int i = 0; i < 4; i++) {
            sender.send("x");
        }
        assertThat(sender.status().circuit()).isEqualTo("OPEN");
        telegram.recover();

        await().atMost(Duration.ofSeconds(3)).until(() -> sender.readyIn().isZero());
        // While the probe is out (Telegram answers slowly), no other call goes through.
        telegram.delay(Duration.ofMillis(500));
        Thread probeThread = new Thread(() -> sender.send("probe"));
        probeThread.start();
        await().atMost(Duration.ofSeconds(2)).until(() -> telegram.requests().size() == 5);
        assertThat(sender.status().circuit()).isEqualTo("HALF_OPEN");
        assertThat(gauge()).isEqualTo(2);
        assertThat(sender.send("not the probe")).isInstanceOfSatisfying(SendOutcome.NotSent.class,
                n -> assertThat(n.reason()).startsWith("circuit half-open"));
        await().atMost(Duration.ofSeconds(3)).until(() -> !probeThread.isAlive());

        assertThat(telegram.accepted()).extracting(FakeBotApi.Request::text).containsExactly("probe");
        assertThat(sender.status().circuit()).isEqualTo("CLOSED");
        assertThat(gauge()).isZero();
        telegram.delay(Duration.ZERO);
        assertThat(sender.send("after")).isInstanceOf(SendOutcome.Delivered.class);
    }

    @Test
    void aFailedProbeOpensTheCircuitAgain() {
        telegram.failAll(502, "Bad Gateway");
        for (int i = 0; i < 4; i++) {
            sender.send("x");
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> sender.readyIn().isZero());

        assertThat(sender.send("probe")).isEqualTo(new SendOutcome.Transient("502 Bad Gateway", true));
        assertThat(sender.status().circuit()).isEqualTo("OPEN");
        assertThat(sender.send("x")).isInstanceOf(SendOutcome.NotSent.class);
        assertThat(telegram.requests()).hasSize(5);
    }

    @Test
    void telegramAnsweringWithClientErrorsNeverOpensTheCircuit() {
        telegram.failAll(400, "Bad Request: message is too long");
        for (int i = 0; i < 10; i++) {
            assertThat(sender.send("x")).isInstanceOf(SendOutcome.Permanent.class);
        }
        telegram.failAll(403, "Forbidden: bot was blocked by the user");
        for (int i = 0; i < 10; i++) {
            assertThat(sender.send("x")).isInstanceOf(SendOutcome.Refused.class);
        }
        assertThat(sender.status().circuit()).isEqualTo("CLOSED");
    }

    private double gauge() {
        return fixture.meters.get("dukan.telegram.circuit.state").gauge().value();
    }
}
