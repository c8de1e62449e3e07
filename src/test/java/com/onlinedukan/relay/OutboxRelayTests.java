package com.onlinedukan.relay;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.onlinedukan.order.Order;
import com.onlinedukan.order.OrderDesk;
import com.onlinedukan.stream.OutboxStream;
import com.onlinedukan.stream.RelayedEvent;
import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.DukanTestContext.TestDatabase;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay module's own behaviour, as a module test: the relay with what it needs (the stream, the
 * outbox, the cluster's lease) and the order module to write real orders, on real PostgreSQL, Redis
 * and Debezium. No notifier, Telegram or ops module is started: nothing reads the stream but the test.
 */
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.ALL_DEPENDENCIES, extraIncludes = { "order", "outbox" })
@ContextConfiguration(initializers = DukanTestContext.class)
// These tests watch what the relay published in the stream; trimming would remove what a reader acknowledged.
@TestPropertySource(properties = { "dukan.relay.heartbeat-interval=300ms", "dukan.relay.trim-interval=1h" })
class OutboxRelayTests {

    @Autowired
    OutboxRelay relay;

    @Autowired
    DecodingWarmUp decodingWarmUp;

    @Autowired
    ReplicationSlots slots;

    @Autowired
    RelayNames names;

    @Autowired
    OrderDesk desk;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    OutboxStream stream;

    @Autowired
    TestDatabase database;

    @Autowired
    Tracer tracer;

    @Autowired
    org.springframework.transaction.support.TransactionTemplate transactions;

    @Test
    void eventsCommittedWhileTheRelayIsDownArePublishedWhenItResumes() {
        await().atMost(Duration.ofSeconds(20)).until(() -> relay.state() == RelayState.RUNNING);
        relay.stop();
        assertThat(slotExists()).as("the slot outlives the relay").isTrue();

        List<String> placedWhileDown = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            placedWhileDown.add(place("While down " + i));
        }
        relay.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> publishedOrderIds().containsAll(placedWhileDown));
        assertThat(relay.state()).isEqualTo(RelayState.RUNNING);
    }

    @Test
    void severalEventsOfOneTransactionSurviveRelayRestarts() {
        await().atMost(Duration.ofSeconds(20)).until(() -> relay.state() == RelayState.RUNNING);

        // Committed while the relay runs, and the relay restarted at once, possibly mid-transaction.
        List<String> first = transactions.execute(status -> placeSeveral("Same tx A", 5));
        relay.stop();
        relay.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> publishedOrderIds().containsAll(first));

        // Committed while the relay is down.
        relay.stop();
        List<String> second = transactions.execute(status -> placeSeveral("Same tx B", 5));
        relay.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> publishedOrderIds().containsAll(second));

        // And once more, restarting right after the previous batch.
        List<String> third = transactions.execute(status -> placeSeveral("Same tx C", 5));
        relay.stop();
        relay.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> publishedOrderIds().containsAll(third));
    }

    /**
     * A fresh instance warms its decoding with real WAL before it reports ready: its heartbeat row,
     * updated in rounds, reaches this engine as changes, which the relay passes over. Nothing reaches
     * the stream, and the warm-up ends with readiness.
     */
    @Test
    void theDecodingWarmUpFeedsTheEngineRealChangesAndTheStreamNothing() {
        await().atMost(Duration.ofSeconds(20)).until(() -> relay.state() == RelayState.RUNNING);
        assertThat(decodingWarmUp.isBeating()).as("this instance's warm-up ended when it reported ready").isFalse();
        decodingWarmUp.start();
        assertThat(decodingWarmUp.isBeating()).as("a warm-up is for a fresh JVM: it does not start again").isFalse();

        long entriesBefore = redis.opsForStream().size(stream.key());
        long passedOverBefore = relay.recordsPassedOver();
        DecodingWarmUp fresh = new DecodingWarmUp(relay, jdbc);
        fresh.start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> relay.recordsPassedOver() - passedOverBefore >= 10 * DecodingWarmUp.BEATS_PER_ROUND);
        }
        finally {
            fresh.stop();
        }
        assertThat(fresh.isBeating()).isFalse();
        assertThat(redis.opsForStream().size(stream.key())).as("no entry from the warm-up").isEqualTo(entriesBefore);
    }

    /** Only an instance whose own engine streams beats: a standby's beats would be decoded by the leader's engine. */
    @Test
    void theDecodingWarmUpBeatsOnlyWhileThisInstancesEngineStreams() throws InterruptedException {
        await().atMost(Duration.ofSeconds(20)).until(() -> relay.state() == RelayState.RUNNING);
        relay.stop();
        DecodingWarmUp fresh = new DecodingWarmUp(relay, jdbc);
        try {
            java.sql.Timestamp before = beatAt();
            fresh.start();
            Thread.sleep(20 * DecodingWarmUp.PAUSE.toMillis());
            assertThat(beatAt()).as("no round while the engine is stopped").isEqualTo(before);
        }
        finally {
            fresh.stop();
            relay.start();
        }
    }

    private java.sql.Timestamp beatAt() {
        return jdbc.sql("SELECT beat_at FROM relay_heartbeat WHERE id = 1").query(java.sql.Timestamp.class).single();
    }

    private List<String> placeSeveral(String name, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(place(name + " " + i));
        }
        return ids;
    }

    @Test
    void offsetsAreKeptInPostgres() {
        String id = place("Offset");
        await().atMost(Duration.ofSeconds(20)).until(() -> publishedOrderIds().contains(id));

        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("SELECT count(*) FROM relay_offset")
                .query(Long.class).single() > 0);
        String offset = jdbc.sql("SELECT offset_val FROM relay_offset").query(String.class).list().get(0);
        assertThat(offset).contains("lsn");
    }

    @Test
    void onlyOutboxInsertsBecomeStreamEntries() {
        String first = place("First");
        await().atMost(Duration.ofSeconds(20)).until(() -> publishedOrderIds().contains(first));
        long before = redis.opsForStream().size(stream.key());

        jdbc.sql("DELETE FROM outbox WHERE aggregateid = ?").param(first).update();
        String second = place("Second");

        await().atMost(Duration.ofSeconds(20)).until(() -> publishedOrderIds().contains(second));
        assertThat(redis.opsForStream().size(stream.key())).isEqualTo(before + 1);
        var entry = redis.<String, String>opsForStream().range(stream.key(), Range.unbounded()).stream()
                .filter(e -> second.equals(e.getValue().get("aggregateId"))).findFirst().orElseThrow();
        RelayedEvent event = RelayedEvent.fromFields(entry.getValue());
        assertThat(event.type()).isEqualTo("OrderPlaced");
        assertThat(event.aggregateType()).isEqualTo("Order");
        assertThat(event.payload()).contains(second).contains("Second");
        assertThat(jdbc.sql("SELECT count(*) FROM outbox WHERE id = ?").param(event.eventId())
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void theTraceAnEventWasWrittenInTravelsInTheOutboxRowAndOnTheStreamEntry() {
        Span writer = tracer.nextSpan().name("test writer").start();
        String id;
        try (Tracer.SpanInScope scope = tracer.withSpan(writer)) {
            id = place("Traced");
        }
        finally {
            writer.end();
        }
        String traceparent = "00-" + writer.context().traceId() + "-" + writer.context().spanId() + "-01";

        assertThat(jdbc.sql("SELECT tracingspancontext FROM outbox WHERE aggregateid = ?").param(id)
                .query(String.class).single()).isEqualTo("traceparent=" + traceparent);
        await().atMost(Duration.ofSeconds(20)).until(() -> publishedOrderIds().contains(id));
        var entry = redis.<String, String>opsForStream().range(stream.key(), Range.unbounded()).stream()
                .filter(e -> id.equals(e.getValue().get("aggregateId"))).findFirst().orElseThrow();
        assertThat(entry.getValue()).containsEntry("traceparent", traceparent).doesNotContainKey("tracestate");
        assertThat(RelayedEvent.fromFields(entry.getValue()).trace().traceparent()).isEqualTo(traceparent);

        String untraced = place("Untraced");
        await().atMost(Duration.ofSeconds(20)).until(() -> publishedOrderIds().contains(untraced));
        assertThat(redis.<String, String>opsForStream().range(stream.key(), Range.unbounded()).stream()
                .filter(e -> untraced.equals(e.getValue().get("aggregateId"))).findFirst().orElseThrow().getValue())
                .doesNotContainKey("traceparent");
    }

    /**
     * The publication sends what a stream entry carries and no more: not the outbox's created_at
     * and txid. One that publishes whole rows, as Debezium creates it and earlier versions left it,
     * is narrowed when the relay starts; events written before and after the narrowing arrive whole,
     * and the outbox's own DELETEs (its retention) still work, the replica identity being published.
     */
    @Test
    void thePublicationCarriesWhatAStreamEntryNeedsAndNoMore() {
        await().atMost(Duration.ofSeconds(20)).until(() -> relay.state() == RelayState.RUNNING);
        assertThat(slots.publishes(names.publication()))
                .containsExactlyInAnyOrderElementsOf(ReplicationSlots.PUBLISHED_OUTBOX_COLUMNS);

        relay.stop();
        jdbc.sql("ALTER PUBLICATION \"" + names.publication() + "\" SET TABLE public.outbox, public.relay_heartbeat")
                .update();
        assertThat(slots.publishes(names.publication())).contains("created_at", "txid");
        String whole = place("Written through a whole-row publication");
        relay.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> relay.state() == RelayState.RUNNING);
        assertThat(slots.publishes(names.publication()))
                .containsExactlyInAnyOrderElementsOf(ReplicationSlots.PUBLISHED_OUTBOX_COLUMNS);
        String narrowed = place("Written through the narrowed publication");

        await().atMost(Duration.ofSeconds(20)).until(() -> publishedOrderIds().containsAll(List.of(whole, narrowed)));
        for (String id : List.of(whole, narrowed)) {
            var entry = redis.<String, String>opsForStream().range(stream.key(), Range.unbounded()).stream()
                    .filter(e -> id.equals(e.getValue().get("aggregateId"))).findFirst().orElseThrow();
            RelayedEvent event = RelayedEvent.fromFields(entry.getValue());
            assertThat(event.type()).isEqualTo("OrderPlaced");
            assertThat(event.aggregateType()).isEqualTo("Order");
            assertThat(event.payload()).contains(id);
            assertThat(event.committedAt()).isNotNull();
        }
        assertThat(jdbc.sql("DELETE FROM outbox WHERE aggregateid = ?").param(whole).update()).isEqualTo(1);
    }

    @Test
    void heartbeatKeepsTheSlotMovingWhileTheOutboxIsIdle() {
        await().atMost(Duration.ofSeconds(20)).until(() -> relay.state() == RelayState.RUNNING);
        // Another table fills the WAL; the outbox sees nothing.
        jdbc.sql("CREATE TABLE IF NOT EXISTS unrelated_noise (id bigserial PRIMARY KEY, filler text)").update();
        jdbc.sql("INSERT INTO unrelated_noise (filler) SELECT repeat('x', 500) FROM generate_series(1, 20000)").update();
        String walAfterNoise = jdbc.sql("SELECT pg_current_wal_lsn()::text").query(String.class).single();

        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("""
                SELECT confirmed_flush_lsn >= CAST(:lsn AS pg_lsn) FROM pg_replication_slots WHERE slot_name = :slot
                """).param("lsn", walAfterNoise).param("slot", database.slotName()).query(Boolean.class).single());
    }

    private boolean slotExists() {
        return jdbc.sql("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?")
                .param(database.slotName()).query(Long.class).single() == 1;
    }

    private Set<String> publishedOrderIds() {
        return redis.<String, String>opsForStream().range(stream.key(), Range.unbounded()).stream()
                .map(entry -> entry.getValue().get("aggregateId"))
                .collect(Collectors.toSet());
    }

    private String place(String name) {
        Order order = desk.place(new Order.Customer(name, "+998901234567"),
                List.of(new Order.OrderLine("SKU-" + UUID.randomUUID().toString().substring(0, 6), "Thing", 1,
                        new BigDecimal("3.00"))),
                null);
        return order.id().toString();
    }
}
