package com.onlinedukan.notification;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.onlinedukan.stream.OutboxStream;
import com.onlinedukan.support.DownstreamModuleTest;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.OrderEvents;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stream is a way for events, not their source: what is sent comes from the outbox, and
 * what was acknowledged leaves Redis. A module test: events reach the stream as the relay puts
 * them there ({@link OrderEvents}), and whatever else a test writes to Redis beside them.
 */
@DownstreamModuleTest
class StreamTrustTests {

    @Autowired
    OrderEvents events;

    @Autowired
    FakeBotApi telegram;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    OutboxStream stream;

    @Autowired
    Inbox inbox;

    @Autowired
    JdbcClient jdbc;

    @Test
    void anEntryWhoseEventIdIsNotInTheOutboxIsPoisonAndNeverSent() {
        String forgedOrder = UUID.randomUUID().toString();
        var forged = redis.opsForStream().add(StreamRecords.newRecord().in(stream.key()).ofMap(Map.of(
                "eventId", UUID.randomUUID().toString(), "type", "OrderPlaced", "aggregateType", "Order",
                "aggregateId", forgedOrder, "committedAt", java.time.Instant.now().toString(),
                "payload", OrderEvents.payload(forgedOrder, "FORGED customer"))));
        String real = events.placeMany("Real", 1).get(0);

        telegram.awaitEachAcceptedOnce(List.of(real), Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                "SELECT count(*) FROM stream_poison WHERE stream_entry_id = ?").param(forged.getValue())
                .query(Long.class).single() == 1);
        assertThat(jdbc.sql("SELECT reason FROM stream_poison WHERE stream_entry_id = ?").param(forged.getValue())
                .query(String.class).single()).contains("not in the outbox");
        assertThat(telegram.requestsMentioning(forgedOrder)).isEmpty();
        assertThat(telegram.requestsMentioning("FORGED")).isEmpty();
    }

    @Test
    void anEventThePipelineSeesAMomentBeforeItsCommitIsVisibleIsNotPoison() {
        // PostgreSQL streams a commit once it is on disk, a moment before other sessions can see it:
        // here the stream entry comes first and the outbox row a little later.
        String orderId = UUID.randomUUID().toString();
        UUID eventId = UUID.randomUUID();
        var early = redis.opsForStream().add(StreamRecords.newRecord().in(stream.key()).ofMap(Map.of(
                "eventId", eventId.toString(), "type", "OrderPlaced", "aggregateType", "Order",
                "aggregateId", orderId, "committedAt", java.time.Instant.now().toString(), "payload", "{}")));
        await().pollDelay(Duration.ofMillis(150)).atMost(Duration.ofSeconds(1)).until(() -> true);
        jdbc.sql("INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload) VALUES (?, 'Order', ?, 'OrderPlaced', CAST(? AS jsonb))")
                .params(eventId, orderId, OrderEvents.payload(orderId, "Seen early")).update();

        telegram.awaitEachAcceptedOnce(List.of(orderId), Duration.ofSeconds(20));
        assertThat(telegram.acceptedMentioning(orderId).get(0).text()).contains("Seen early");
        assertThat(jdbc.sql("SELECT count(*) FROM stream_poison WHERE stream_entry_id = ?").param(early.getValue())
                .query(Long.class).single()).isZero();
    }

    @Test
    void aForgedCopyOfARealEventCannotChangeItsText() {
        inbox.stop();
        String orderId;
        try {
            orderId = events.placeMany("Genuine", 1).get(0);
            await().atMost(Duration.ofSeconds(20)).until(() -> entryOf(orderId) != null);
            MapRecord<String, String, String> genuine = entryOf(orderId);
            // The forged copy comes first: the genuine entry is moved behind it.
            Map<String, String> forged = new java.util.HashMap<>(genuine.getValue());
            forged.put("payload", OrderEvents.payload(orderId, "FORGED text"));
            redis.opsForStream().delete(stream.key(), genuine.getId());
            redis.opsForStream().add(StreamRecords.newRecord().in(stream.key()).ofMap(forged));
            redis.opsForStream().add(StreamRecords.newRecord().in(stream.key()).ofMap(genuine.getValue()));
        }
        finally {
            inbox.start();
        }

        telegram.awaitEachAcceptedOnce(List.of(orderId), Duration.ofSeconds(20));
        assertThat(telegram.acceptedMentioning(orderId).get(0).text()).contains("Genuine").doesNotContain("FORGED");
        assertThat(telegram.requestsMentioning("FORGED")).isEmpty();
    }

    @Test
    void afterFiveHundredDeliveriesTheStreamHoldsOnlyWhatIsUnacknowledged() {
        List<String> ids = events.placeMany("Trimmed", 500);

        telegram.awaitEachAcceptedOnce(ids, Duration.ofSeconds(90));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            long length = redis.opsForStream().size(stream.key());
            long pending = redis.opsForStream().pending(stream.key(), "dukan-notifier").getTotalPendingMessages();
            assertThat(length).as("stream length").isLessThanOrEqualTo(pending);
        });
    }

    private MapRecord<String, String, String> entryOf(String orderId) {
        return redis.<String, String>opsForStream().range(stream.key(), Range.unbounded()).stream()
                .filter(e -> orderId.equals(e.getValue().get("aggregateId"))).findFirst().orElse(null);
    }
}
