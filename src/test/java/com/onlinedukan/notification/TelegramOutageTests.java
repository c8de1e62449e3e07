package com.onlinedukan.notification;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Ledger;
import com.onlinedukan.support.OpsClient;
import com.onlinedukan.support.Orders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failures that are nobody's notification's fault spend nobody's attempts: a Telegram-wide
 * outage, 429s, a chat migration, and Telegram refusing the chat itself.
 */
@DukanTest
@TestPropertySource(properties = {
        "dukan.notification.retry.initial-backoff=100ms",
        "dukan.notification.retry.max-backoff=500ms",
        "dukan.notification.retry.max-attempts=3",
        "dukan.notification.retry-poll-interval=100ms",
        "dukan.notification.refusal-probe-interval=1h",
        "dukan.telegram.circuit.open-wait=1s",
        "dukan.telegram.circuit.minimum-calls=3",
        "dukan.telegram.rate.per-chat-per-minute=6000",
        "dukan.telegram.rate.per-chat-per-second=100" })
class TelegramOutageTests {

    @LocalServerPort
    int port;

    @Autowired
    FakeBotApi telegram;

    @Autowired
    JdbcClient jdbc;

    Orders orders;
    OpsClient ops;
    Ledger ledger;

    @BeforeEach
    void setUp() {
        orders = new Orders(port);
        ops = new OpsClient(port);
        ledger = new Ledger(jdbc);
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.waiting() == 0);
    }

    @AfterEach
    void tearDown() {
        telegram.recover();
        telegram.clearScript();
        ops.call("POST", "/api/ops/delivery/resume", null);
    }

    @Test
    void telegramWideOutageDeadLettersNothingAndEveryOrderIsDeliveredOnceAfterIt() {
        telegram.failAll(502, "Bad Gateway");
        Instant outageStart = Instant.now();
        List<String> ids = new ArrayList<>();
        boolean circuitOpened = false;
        // Orders keep coming for 12 s while every request to Telegram fails: a notification's own three
        // attempts (100-500 ms apart) would be spent ten times over in that time if the outage were charged.
        while (Duration.between(outageStart, Instant.now()).compareTo(Duration.ofSeconds(12)) < 0) {
            ids.addAll(orders.placeMany("Outage", 1));
            circuitOpened |= "OPEN".equals(pipeline().get("telegram").get("circuit").asString());
            await().pollDelay(Duration.ofMillis(900)).atMost(Duration.ofSeconds(2)).until(() -> true);
        }
        int requestsDuringOutage = telegram.requests().size();
        assertThat(deadCount()).as("dead during the outage").isZero();
        telegram.recover();

        telegram.awaitEachAcceptedOnce(ids, Duration.ofSeconds(60));
        assertThat(deadCount()).isZero();
        assertThat(circuitOpened).as("the circuit opened during the outage").isTrue();
        // The open circuit lets a probe through about once a second, instead of every retry of every order.
        assertThat(requestsDuringOutage).isLessThan(ids.size() * 3);
        assertThat(jdbc.sql("SELECT max(attempts) FROM notification WHERE order_id IN (:ids)")
                .param("ids", ids.stream().map(java.util.UUID::fromString).toList()).query(Integer.class).single())
                .as("attempts charged: the delivery, and at most the failures before the circuit opened")
                .isLessThanOrEqualTo(4);
    }

    @Test
    void rateLimitsAndAChatMigrationNeverMakeANotificationDead() {
        telegram.rateLimitNext(1);
        telegram.rateLimitNext(1);
        telegram.migrateNext("-1007777");
        telegram.rateLimitNext(1);
        String id = orders.placeMany("Patient", 1).get(0);

        telegram.awaitEachAcceptedOnce(List.of(id), Duration.ofSeconds(30));
        // Telegram has the message a moment before the ledger has committed its DELIVERED.
        await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(status(id)));
        assertThat(telegram.acceptedMentioning(id).get(0).chatId()).isEqualTo("-1007777");
        assertThat(ledger.history(id)).containsExactly("RATE_LIMITED", "RATE_LIMITED", "RATE_LIMITED", "DELIVERED");
    }

    @Test
    void chatNotFoundPausesDeliveryWithTheReasonAndAResumeDeliversEachOnce() {
        telegram.refuseChat();
        List<String> ids = orders.placeMany("Chat gone", 3);

        await().atMost(Duration.ofSeconds(20)).until(() -> pipeline().get("delivery").get("paused").asBoolean());
        JsonNode delivery = pipeline().get("delivery");
        assertThat(delivery.get("pausedBy").asString()).isEqualTo("telegram");
        assertThat(delivery.get("reason").asString()).contains("chat not found");
        await().atMost(Duration.ofSeconds(20)).until(() -> registered(ids) == 3);
        int tried = telegram.requests().size();
        // Paused: nothing more is tried, nothing is dead.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> telegram.requests().size() == tried);
        assertThat(deadCount()).isZero();
        JsonNode health = ops.call("GET", "/actuator/health", null).body();
        assertThat(health.get("components").get("delivery").get("status").asString()).isEqualTo("WARNING");

        telegram.recover();
        assertThat(ops.call("POST", "/api/ops/delivery/resume", null).status()).isEqualTo(200);
        telegram.awaitEachAcceptedOnce(ids, Duration.ofSeconds(30));
        assertThat(deadCount()).isZero();
    }

    private long registered(List<String> ids) {
        return jdbc.sql("SELECT count(*) FROM notification WHERE order_id IN (:ids)")
                .param("ids", ids.stream().map(java.util.UUID::fromString).toList()).query(Long.class).single();
    }

    private long deadCount() {
        return ledger.count("DEAD");
    }

    private String status(String orderId) {
        return orders.get(orderId).body().get("notification").get("status").asString();
    }

    private JsonNode pipeline() {
        return ops.call("GET", "/api/ops/pipeline", null).body();
    }
}
