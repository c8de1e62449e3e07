package com.onlinedukan.notification;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.onlinedukan.stream.OutboxStream;
import com.onlinedukan.relay.RelayMonitor;
import com.onlinedukan.relay.RelayState;
import com.onlinedukan.support.DebeziumServerSink;
import com.onlinedukan.support.DukanTestContext.TestDatabase;
import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Orders;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Debezium Server instead of the embedded relay: with {@code dukan.relay.enabled=false} the
 * notifier delivers what Debezium Server's Redis sink writes for the outbox (the entries are
 * written here exactly as the sink writes them), and the instance still leads the reconciler
 * without touching the replication slot.
 */
@DukanTest
@TestPropertySource(properties = {
        "dukan.relay.enabled=false",
        // Only the stream can deliver here: the reconciler would write the event into the ledger after its grace.
        "dukan.reconciler.grace=1h",
        "dukan.notification.retry-poll-interval=100ms" })
class DebeziumServerSinkTests {

    private static final String GROUP = "dukan-notifier";

    @LocalServerPort
    int port;

    @Autowired
    FakeBotApi telegram;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    OutboxStream stream;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RelayMonitor relay;

    @Autowired
    TestDatabase database;

    @Test
    void anOrderTheSinkWroteToTheStreamIsDeliveredOnceEvenWhenTheSinkWritesItAgain() {
        String orderId = new Orders(port).placeMany("Sink", 1).get(0);
        OutboxRow row = outboxRowOf(orderId);
        assertThat(relay.status().state()).as("nothing but the test publishes").isEqualTo(RelayState.DISABLED);

        RecordId first = xadd(DebeziumServerSink.extended(row.id(), row.aggregateId(), row.payload()));
        telegram.awaitEachAcceptedOnce(List.of(orderId), Duration.ofSeconds(20));

        // Debezium Server replays from its last flushed offset after a restart: the same record again.
        RecordId again = xadd(DebeziumServerSink.extended(row.id(), row.aggregateId(), row.payload()));
        awaitAcknowledged(again);
        assertThat(first).isNotEqualTo(again);
        assertThat(telegram.acceptedMentioning(orderId)).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(jdbc.sql(
                "SELECT status FROM notification WHERE event_id = ?").param(row.id()).query(String.class).single()));
        assertThat(jdbc.sql("SELECT count(*) FROM stream_poison WHERE stream_entry_id IN (?, ?)")
                .params(first.getValue(), again.getValue()).query(Long.class).single()).isZero();
    }

    @Test
    void aCompactSinkEntryCarriesNoEventIdAndIsKeptAsPoisonNeverSent() {
        String orderId = new Orders(port).placeMany("Compact", 1).get(0);
        OutboxRow row = outboxRowOf(orderId);

        RecordId compact = xadd(DebeziumServerSink.compact(row.aggregateId(), row.payload()));
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                "SELECT count(*) FROM stream_poison WHERE stream_entry_id = ?").param(compact.getValue())
                .query(Long.class).single() == 1);
        assertThat(telegram.acceptedMentioning(orderId)).isEmpty();
    }

    @Test
    void withTheRelayDisabledTheInstanceLeadsTheReconcilerAndLeavesTheSlotToDebeziumServer() {
        await().atMost(Duration.ofSeconds(20)).until(() -> relay.status().leader());
        assertThat(relay.status().state()).isEqualTo(RelayState.DISABLED);
        assertThat(jdbc.sql("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?")
                .param(database.slotName()).query(Long.class).single()).isZero();
    }

    private RecordId xadd(Map<String, String> fields) {
        return redis.opsForStream().add(StreamRecords.newRecord().in(stream.key()).ofMap(fields));
    }

    /** Until the notifier's group has read the entry and acknowledged everything it read. */
    private void awaitAcknowledged(RecordId entry) {
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.opsForStream().groups(stream.key()).stream()
                .anyMatch(group -> group.groupName().equals(GROUP) && group.lastDeliveredId().equals(entry.getValue())
                        && group.pendingCount() == 0));
    }

    private OutboxRow outboxRowOf(String orderId) {
        return jdbc.sql("SELECT id, aggregateid, payload::text FROM outbox WHERE aggregateid = ?").param(orderId)
                .query((rs, n) -> new OutboxRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)))
                .single();
    }

    private record OutboxRow(UUID id, String aggregateId, String payload) {
    }
}
