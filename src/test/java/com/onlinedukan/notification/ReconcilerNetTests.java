package com.onlinedukan.notification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.onlinedukan.support.DownstreamModuleTest;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.OrderEvents;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reconciler is a net with no holes: every committed order event the ledger lacks is found,
 * whatever its {@code created_at} and however late its transaction became visible, and one the
 * ledger lacks past the grace is counted by {@code dukan_outbox_unledgered_events} until it is
 * found. The inbox is stopped in each test, so the reconciler is the only way into the ledger; it
 * is run by the test (its schedule is an hour) so that its passes come exactly where they must.
 * A module test: no relay runs, so no stream entry could bring an event in behind the net's back.
 */
@DownstreamModuleTest
@TestPropertySource(properties = { "dukan.reconciler.grace=1s",
        "dukan.reconciler.interval=1h" })
class ReconcilerNetTests {

    @Autowired
    FakeBotApi telegram;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Inbox inbox;

    @Autowired
    Reconciler reconciler;

    @Autowired
    PipelineGauges gauges;

    @Autowired
    MeterRegistry meters;

    /**
     * The unledgered count reads the whole outbox: its scheduled tick runs it through its pace, so a
     * tick right after a count changes nothing, and one after the count's pause counts again.
     */
    @Test
    void theUnledgeredCountRunsAtItsPace() throws Exception {
        inbox.stop();
        try {
            reconciler.reconcile();
            // A count that takes 60 ms more than it does: its pause is then at least 49 x 60 ms, ~3 s.
            await().atMost(Duration.ofSeconds(10)).until(() -> gauges.unledgeredPace.runIfDue(() -> {
                gauges.refreshUnledgered();
                sleep(60);
            }));
            assertThat(unledgered()).isZero();
            String order;
            try (Connection connection = dataSource.getConnection()) {
                order = appendEvent(connection, "1 hour", "Paced");
            }
            gauges.tickUnledgered();
            assertThat(unledgered()).as("a tick inside the pause counts nothing").isZero();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                gauges.tickUnledgered();
                assertThat(unledgered()).isEqualTo(1);
            });
            reconciler.reconcile();
            telegram.awaitEachAcceptedOnce(List.of(order), Duration.ofSeconds(20));
        }
        finally {
            inbox.start();
        }
    }

    /**
     * Transactions held open while the reconciler makes its passes, each writing an event whose
     * {@code created_at} is days, hours, seconds or no time at all in the past, committed one by one
     * in an order unrelated to their ages, with passes between: each is delivered.
     */
    @Test
    void anEventWhoseTransactionCommitsLateIsDeliveredWhateverItsCreatedAt() throws Exception {
        List<String> ages = List.of("3 days", "0 seconds", "1 hour", "2 seconds", "400 days");
        List<Connection> open = new ArrayList<>();
        List<String> orders = new ArrayList<>();
        inbox.stop();
        try {
            reconciler.reconcile();
            for (String age : ages) {
                Connection connection = dataSource.getConnection();
                connection.setAutoCommit(false);
                open.add(connection);
                orders.add(appendEvent(connection, age, "Late " + age));
            }
            passesWhileOpen();
            for (int i : new int[] { 1, 3, 0, 4, 2 }) {
                open.get(i).commit();
                passesWhileOpen();
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
                reconciler.reconcile();
                return orders.stream().allMatch(id -> !telegram.acceptedMentioning(id).isEmpty());
            });
            telegram.awaitEachAcceptedOnce(orders, Duration.ofSeconds(1));
        }
        finally {
            for (Connection connection : open) {
                connection.close();
            }
            inbox.start();
        }
    }

    @Test
    void theGaugeCountsAnEventTheLedgerLacksAndReturnsToZeroOnceItIsFound() throws Exception {
        inbox.stop();
        try {
            reconciler.reconcile();
            gauges.refreshUnledgered();
            assertThat(unledgered()).isZero();
            String order;
            try (Connection connection = dataSource.getConnection()) {
                order = appendEvent(connection, "1 hour", "Unledgered");
                // No order's event (its aggregate is no order id): nothing a ledger could ever hold.
                try (PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, created_at)
                        VALUES (?, 'Order', 'not-an-order', 'OrderPlaced', '{}', now() - interval '1 hour')
                        """)) {
                    insert.setObject(1, UUID.randomUUID());
                    insert.executeUpdate();
                }
            }
            gauges.refreshUnledgered();
            assertThat(unledgered()).as("the order's event, not the row that is no order's").isEqualTo(1);

            reconciler.reconcile();
            gauges.refreshUnledgered();
            assertThat(unledgered()).isZero();
            telegram.awaitEachAcceptedOnce(List.of(order), Duration.ofSeconds(20));
        }
        finally {
            inbox.start();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private double unledgered() {
        return meters.get("dukan.outbox.unledgered.events").gauge().value();
    }

    /** Passes of the reconciler, each after the grace has run out for what it can see. */
    private void passesWhileOpen() {
        for (int pass = 0; pass < 2; pass++) {
            await().pollDelay(Duration.ofMillis(1100)).atMost(Duration.ofSeconds(5)).until(() -> true);
            reconciler.reconcile();
        }
    }

    /** The outbox INSERT as Outbox writes it, with a created_at {@code age} before now; returns the order id. */
    static String appendEvent(Connection connection, String age, String customer) throws Exception {
        String orderId = UUID.randomUUID().toString();
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, tracingspancontext, created_at)
                VALUES (?, 'Order', ?, 'OrderPlaced', CAST(? AS jsonb), NULL, now() - CAST(? AS interval))
                """)) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, orderId);
            insert.setString(3, OrderEvents.payload(orderId, customer));
            insert.setString(4, age);
            insert.executeUpdate();
        }
        return orderId;
    }
}
