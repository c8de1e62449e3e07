package com.onlinedukan.acknowledgement;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.onlinedukan.notification.NotificationListener.Carried;
import com.onlinedukan.notification.NotificationListener.DeliveredMessage;
import com.onlinedukan.support.DownstreamModuleTest;
import com.onlinedukan.support.DukanTestContext;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Property: the SREs' board of acknowledgements ({@code GET /api/ops/acknowledgements}) is one
 * moment: while orders are taken one after another, each is on exactly one of its lists, waiting
 * or taken, whenever the board is read. And the count behind {@code dukan_orders_unacknowledged},
 * which reads every open row, runs at its pace. A module test ({@link DownstreamModuleTest}).
 */
@DownstreamModuleTest
class AcknowledgementBoardTests {

    @Autowired
    AcknowledgementLedger ledger;

    @Autowired
    Acknowledgements acknowledgements;

    @Autowired
    AcknowledgementGauges gauges;

    @Autowired
    MeterRegistry meters;

    /**
     * The waiting count reads every open row: its scheduled tick runs it through its pace, so a tick
     * right after a count changes nothing, and one after the count's pause counts again.
     */
    @Test
    void theWaitingCountRunsAtItsPace() {
        // A count that takes 60 ms more than it does: its pause is then at least 49 x 60 ms, ~3 s.
        await().atMost(Duration.ofSeconds(10)).until(() -> gauges.pace.runIfDue(() -> {
            gauges.refresh();
            try {
                Thread.sleep(60);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        double before = waiting();
        ledger.waiting(new DeliveredMessage(DukanTestContext.CHAT_ID, 4343, "<b>New order</b>",
                List.of(new Carried(UUID.randomUUID(), UUID.randomUUID(), Instant.now()))), Duration.ofMinutes(10));
        gauges.tick();
        assertThat(waiting()).as("a tick inside the pause counts nothing").isEqualTo(before);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            gauges.tick();
            assertThat(waiting()).isEqualTo(before + 1);
        });
    }

    private double waiting() {
        return meters.get("dukan.orders.unacknowledged").tag("stage", "WAITING").gauge().value();
    }

    @Test
    void eachOrderIsOnExactlyOneListWhileOrdersAreTaken() throws Exception {
        List<Carried> orders = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            orders.add(new Carried(UUID.randomUUID(), UUID.randomUUID(), Instant.now()));
        }
        ledger.waiting(new DeliveredMessage(DukanTestContext.CHAT_ID, 4242, "<b>40 new orders</b>", orders),
                Duration.ofMinutes(10));
        Set<UUID> events = new HashSet<>(orders.stream().map(Carried::eventId).toList());

        CompletableFuture<Void> taking = CompletableFuture.runAsync(() -> orders.forEach(
                order -> assertThat(ledger.take(order.eventId(), 7, "Board")).isPresent()));
        int reads = 0;
        do {
            Acknowledgements.Board board = acknowledgements.board(1000);
            Set<UUID> waiting = new HashSet<>(board.waiting().stream().map(Acknowledgements.Waiting::eventId)
                    .filter(events::contains).toList());
            Set<UUID> taken = new HashSet<>(board.taken().stream().map(Acknowledgements.Taken::eventId)
                    .filter(events::contains).toList());
            assertThat(waiting).as("read %d: waiting and taken at once", reads).filteredOn(taken::contains).isEmpty();
            assertThat(waiting.size() + taken.size()).as("read %d: on one list or the other", reads)
                    .isEqualTo(events.size());
            reads++;
        }
        while (!taking.isDone());
        taking.get();
        assertThat(reads).isPositive();
    }
}
