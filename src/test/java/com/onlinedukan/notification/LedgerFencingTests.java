package com.onlinedukan.notification;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.onlinedukan.notification.DeliveryLedger.Claim;
import com.onlinedukan.outbox.Outbox;
import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Orders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each claimed notification is handled on its own, and a claim too old to send is released unsent.
 * (That a stale claim cannot overwrite its successor's row is the ledger's alone: ConcurrentClaimsTests.)
 */
@DukanTest
class LedgerFencingTests {

    @LocalServerPort
    int port;

    @Autowired
    FakeBotApi telegram;

    @Autowired
    DeliveryLedger ledger;

    @Autowired
    Notifications notifications;

    @Autowired
    Delivery delivery;

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void resume() {
        notifications.resume("test");
    }

    @Test
    void aPayloadWithANullTotalInABatchOfTwentyIsDeadAloneAndTheOthersAreDelivered() {
        notifications.pause("test", "a batch builds up");
        List<String> good = new Orders(port).placeMany("Batch", 19);
        String bad = UUID.randomUUID().toString();
        transactions.executeWithoutResult(tx -> outbox.append("Order", bad, "OrderPlaced", java.util.Map.of(
                "orderId", bad, "customerName", "No total", "items", List.of())));
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql(
                "SELECT count(*) FROM notification WHERE status = 'PENDING'").query(Long.class).single() >= 20);

        notifications.resume("test");

        telegram.awaitEachAcceptedOnce(good, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(() -> "DEAD".equals(jdbc.sql(
                "SELECT status FROM notification WHERE order_id = CAST(? AS uuid)").param(bad).query(String.class).single()));
        assertThat(jdbc.sql("SELECT last_error FROM notification WHERE order_id = CAST(? AS uuid)").param(bad)
                .query(String.class).single()).contains("total");
        assertThat(jdbc.sql("SELECT count(*) FROM notification WHERE status = 'DEAD'").query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void aClaimThatAgedPastItsLeaseLessTheStopGraceIsReleasedUnsent() {
        notifications.pause("test", "the test claims by hand");
        String orderId = new Orders(port).placeMany("Frozen sender", 1).get(0);
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql(
                "SELECT count(*) FROM notification WHERE order_id = CAST(? AS uuid)").param(orderId)
                .query(Long.class).single() == 1);
        Claim claim = ledger.claimDueWhilePaused("frozen", Duration.ofMinutes(1), 1000).stream()
                .filter(c -> c.orderId().toString().equals(orderId)).findFirst().orElseThrow();
        // As if the process had been stopped for an hour between the claim and the send.
        Claim aged = new Claim(claim.eventId(), claim.orderId(), claim.payload(), claim.attempts(),
                claim.firstFailedAt(), claim.committedAt(), claim.token(), claim.trace(),
                System.nanoTime() - Duration.ofHours(1).toNanos());

        delivery.deliver(List.of(aged));

        assertThat(telegram.acceptedMentioning(orderId)).as("a stale claim is not sent").isEmpty();
        assertThat(jdbc.sql("SELECT status || ' ' || coalesce(lease_owner, 'unclaimed') FROM notification "
                + "WHERE order_id = CAST(? AS uuid)").param(orderId).query(String.class).single())
                .isEqualTo("PENDING unclaimed");

        notifications.resume("test");
        telegram.awaitEachAcceptedOnce(List.of(orderId), Duration.ofSeconds(20));
    }
}
