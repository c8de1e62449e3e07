package com.onlinedukan.relay;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.DukanTestContext.TestDatabase;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Orders;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Invariant (issue 17): a replication slot that no longer has the relay's stored position heals by
 * itself. Dropped under the running relay (as a DBA does when WAL fills the disk) or recreated by a
 * DBA further on, the relay streams again from a slot of the same name within seconds; every order
 * placed before, while and after is delivered exactly once, long before the reconciler's grace
 * (10 minutes here, so its timer cannot be what delivers them); and each loss is counted once in
 * {@code dukan_relay_slot_recoveries_total}. A plain restart, with the slot at or behind the stored
 * offset, is no loss and counts none.
 */
@DukanTest
@DirtiesContext
@TestPropertySource(properties = { "dukan.reconciler.grace=10m", "dukan.reconciler.interval=1s",
        "dukan.relay.restart-pause=1s" })
class SlotLossTests {

    /** Far below the grace period; the recovery itself takes the 5 s restart pause and an engine start. */
    static final Duration WITHIN_SECONDS = Duration.ofSeconds(40);

    @LocalServerPort
    int port;

    @Autowired
    OutboxRelay relay;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestDatabase database;

    @Autowired
    FakeBotApi telegram;

    @Autowired
    MeterRegistry meters;

    @Test
    void aSlotDroppedUnderTheRunningRelayIsRecreatedAndEveryOrderIsDeliveredOnceWithinSeconds() throws Exception {
        Orders http = new Orders(port);
        streamingWithAStoredOffset(http);
        double before = recoveries();

        // No loss: the relay restarts on its own slot, which is at or behind the stored offset.
        relay.stop();
        relay.start();
        String afterRestart = place(http, "After a plain restart");
        telegram.awaitEachAcceptedOnce(List.of(afterRestart), WITHIN_SECONDS);
        assertThat(recoveries()).as("a plain restart is no recovery").isEqualTo(before);

        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        ExecutorService customers = Executors.newSingleThreadExecutor();
        long dropped;
        try {
            // Customers keep ordering, at uneven intervals, before, while and after the slot is gone.
            customers.execute(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    ids.add(place(http, "Around the slot loss"));
                    try {
                        Thread.sleep(ThreadLocalRandom.current().nextLong(20, 300));
                    }
                    catch (InterruptedException e) {
                        return;
                    }
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> ids.size() >= 3);
            dropped = System.nanoTime();
            dropTheSlotAsADbaWould();
            await().atMost(WITHIN_SECONDS).pollInterval(Duration.ofMillis(100))
                    .until(() -> recoveries() > before && relay.state() == RelayState.RUNNING && slotActive());
            int placedWhenBack = ids.size();
            await().atMost(Duration.ofSeconds(10)).until(() -> ids.size() >= placedWhenBack + 3);
        }
        finally {
            customers.shutdownNow();
            assertThat(customers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        telegram.awaitEachAcceptedOnce(List.copyOf(ids), WITHIN_SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - dropped)).isLessThan(Duration.ofSeconds(90));
        assertThat(recoveries() - before).as("one loss, one recovery").isEqualTo(1.0);
        assertThat(telegram.acceptedMentioning(afterRestart)).hasSize(1);
    }

    @Test
    void aSlotRecreatedByADbaAheadOfTheStoredOffsetIsFollowedAndTheEventsInBetweenAreDeliveredAtOnce() throws Exception {
        Orders http = new Orders(port);
        streamingWithAStoredOffset(http);
        double before = recoveries();

        relay.stop();
        // While the relay is down a DBA drops the slot and makes a new one: what is committed in
        // between is in no slot, what comes after is in the new one, ahead of the stored offset.
        database.servers().dropSlot(database.slotName());
        List<String> inNoSlot = new ArrayList<>();
        for (int i = 0, n = ThreadLocalRandom.current().nextInt(1, 6); i < n; i++) {
            inNoSlot.add(place(http, "Between drop and create"));
        }
        try (Connection admin = database.servers().connect(database.name())) {
            admin.createStatement().execute(
                    "SELECT pg_create_logical_replication_slot('" + database.slotName() + "', 'pgoutput')");
        }
        List<String> inTheNewSlot = new ArrayList<>();
        for (int i = 0, n = ThreadLocalRandom.current().nextInt(1, 6); i < n; i++) {
            inTheNewSlot.add(place(http, "After the DBA's new slot"));
        }
        relay.start();
        List<String> afterwards = List.of(place(http, "After the relay is back"));

        telegram.awaitEachAcceptedOnce(inNoSlot, WITHIN_SECONDS);
        telegram.awaitEachAcceptedOnce(inTheNewSlot, WITHIN_SECONDS);
        telegram.awaitEachAcceptedOnce(afterwards, WITHIN_SECONDS);
        assertThat(recoveries() - before).isEqualTo(1.0);
        await().atMost(WITHIN_SECONDS).until(this::slotActive);
    }

    private void streamingWithAStoredOffset(Orders http) {
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.state() == RelayState.RUNNING);
        String first = place(http, "Before the fault");
        telegram.awaitEachAcceptedOnce(List.of(first), WITHIN_SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("SELECT count(*) FROM relay_offset")
                .query(Long.class).single() > 0);
    }

    /** What a DBA does to a slot that filled the disk: end its walsender, drop it. */
    private void dropTheSlotAsADbaWould() throws SQLException {
        database.servers().dropSlot(database.slotName());
    }

    private boolean slotActive() {
        return jdbc.sql("SELECT count(*) FROM pg_replication_slots WHERE slot_name = :slot AND active")
                .param("slot", database.slotName()).query(Long.class).single() == 1;
    }

    private double recoveries() {
        return meters.get("dukan.relay.slot.recoveries").counter().count();
    }

    private static String place(Orders http, String name) {
        Orders.Response response = http.place(Orders.order(name + " " + UUID.randomUUID(), null, "A"));
        assertThat(response.status()).isEqualTo(201);
        return response.id();
    }
}
