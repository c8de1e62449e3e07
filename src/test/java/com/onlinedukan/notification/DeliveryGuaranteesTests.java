package com.onlinedukan.notification;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.onlinedukan.outbox.OutboxEvent;
import com.onlinedukan.stream.OutboxStream;
import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Ledger;
import com.onlinedukan.support.Orders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What happens to a notification for each answer Telegram can give, against the real pipeline. */
@DukanTest
@TestPropertySource(properties = {
        "dukan.notification.retry.initial-backoff=200ms",
        "dukan.notification.retry.max-backoff=1s",
        "dukan.notification.retry.max-attempts=6",
        // Both limits must be spent before a notification is dead; here attempts alone decide.
        "dukan.notification.retry.give-up-after=1ms",
        // One notification failing alone must not look like Telegram failing for everyone.
        "dukan.telegram.circuit.minimum-calls=100",
        "dukan.telegram.circuit.window=100",
        "dukan.notification.retry-poll-interval=100ms",
        "dukan.notification.claim-idle=1s",
        "dukan.notification.consumer-expiry=2s",
        // redeliveredEventIsNotSentTwice copies a delivered entry, which trimming would have removed
        "dukan.telegram.rate.per-chat-per-minute=6000",
        "dukan.telegram.rate.per-chat-per-second=100",
        "dukan.telegram.max-retry-after=3s" })
class DeliveryGuaranteesTests {

    @LocalServerPort
    int port;

    @Autowired
    FakeBotApi telegram;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    OutboxStream stream;

    @Autowired
    Inbox inbox;

    @Autowired
    DeliveryLedger ledger;

    @Autowired
    DeliveryControl control;

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    NotificationProperties properties;

    Orders orders;

    @BeforeEach
    void setUp() {
        orders = new Orders(port);
        awaitIdle();
    }

    @AfterEach
    void tearDown() {
        telegram.clearScript();
        telegram.release();
    }

    @Test
    void telegramOutageThenRecoveryDeliversEveryNotificationOnce() {
        // Three failed sends in a row: whether the orders go alone or in one digest, each sees at most three.
        telegram.failNext(3, 502, "Bad Gateway");
        List<String> ids = List.of(place("Outage 1"), place("Outage 2"), place("Outage 3"));

        for (String id : ids) {
            await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(status(id)));
        }
        for (String id : ids) {
            assertThat(telegram.acceptedMentioning(id)).hasSize(1);
        }
        assertThat(telegram.requests().size()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void telegramRetryAfterIsHonouredToTheSecond() {
        telegram.rateLimitNext(2);
        String id = place("Rate limited");

        assertThat(deliveredOnTheSecondTry(id)).isGreaterThanOrEqualTo(Duration.ofSeconds(2))
                .isLessThan(Duration.ofMillis(3500));
    }

    /** Waits for the order's delivery, which took two sends, the first rate-limited; the wait between them. */
    private Duration deliveredOnTheSecondTry(String id) {
        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(status(id)));
        List<FakeBotApi.Request> tries = telegram.requestsMentioning(id);
        assertThat(tries).hasSize(2);
        assertThat(new Ledger(jdbc).history(id)).containsExactly("RATE_LIMITED", "DELIVERED");
        return Duration.between(tries.get(0).at(), tries.get(1).at());
    }

    /**
     * No answer from Telegram stops delivery for longer than {@code dukan.telegram.max-retry-after}:
     * a {@code retry_after} of three years (a proxy's, or a fake's) is waited 3 s here, then the
     * message is asked for again. It once held every notification until 2030, across restarts (the
     * wait is kept in PostgreSQL), and no resume lifted it.
     */
    @Test
    void aRetryAfterOfYearsIsWaitedNoLongerThanTheLongestWait() {
        telegram.rateLimitNext(99_999_999);
        String id = place("Rate limited for years");

        assertThat(deliveredOnTheSecondTry(id)).isGreaterThanOrEqualTo(Duration.ofSeconds(3))
                .isLessThan(Duration.ofMillis(5500));
        assertThat(jdbc.sql("""
                SELECT a.error FROM notification_attempt a JOIN notification n ON n.event_id = a.event_id
                 WHERE n.order_id = CAST(? AS uuid) AND a.outcome = 'RATE_LIMITED'""").param(id).query(String.class).single())
                .contains("99999999").contains("max-retry-after");
    }

    /** A wait stored before that bound existed (by an earlier version, or under a larger bound) holds no longer either. */
    @Test
    void aWaitOfYearsAlreadyStoredEndsWithinTheLongestWait() {
        jdbc.sql("""
                INSERT INTO telegram_chat (configured_chat_id, current_chat_id, paused_until, updated_at)
                VALUES (:chat, :chat, now() + interval '3 years', now())
                ON CONFLICT (configured_chat_id) DO UPDATE SET paused_until = EXCLUDED.paused_until, updated_at = now()
                """).param("chat", DukanTestContext.CHAT_ID).update();
        long placed = System.nanoTime();
        String id = place("Behind a stored wait of years");

        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(status(id)));
        assertThat(Duration.ofNanos(System.nanoTime() - placed)).isLessThan(Duration.ofSeconds(8));
        assertThat(telegram.requestsMentioning(id)).hasSize(1);
        // The stored wait is still years long, bounded on every read: the tests after this one start without it.
        jdbc.sql("UPDATE telegram_chat SET paused_until = NULL").update();
    }

    @Test
    void errorAboutTheMessageIsDeadAtOnceWithItsHistory() {
        telegram.failNext(1, 400, "Bad Request: message is too long");
        String id = place("Too long");

        await().atMost(Duration.ofSeconds(20)).until(() -> "DEAD".equals(status(id)));
        var notification = orders.get(id).body().get("notification");
        assertThat(notification.get("attempts").asInt()).isEqualTo(1);
        assertThat(notification.has("lastError")).as("error texts are for SREs, not customers").isFalse();
        assertThat(jdbc.sql("SELECT last_error FROM notification WHERE order_id = CAST(? AS uuid)").param(id)
                .query(String.class).single()).contains("message is too long");
        assertThat(new Ledger(jdbc).history(id)).containsExactly("PERMANENT");
        assertThat(telegram.requestsMentioning(id)).hasSize(1);
    }

    @Test
    void exhaustedAttemptsAreDead() {
        telegram.failNext(6, 500, "Internal Server Error");
        String id = place("Unlucky");

        await().atMost(Duration.ofSeconds(30)).until(() -> "DEAD".equals(status(id)));
        assertThat(orders.get(id).body().get("notification").get("attempts").asInt()).isEqualTo(6);
        assertThat(new Ledger(jdbc).history(id)).hasSize(6).containsOnly("TRANSIENT");
        assertThat(telegram.requestsMentioning(id)).hasSize(6);
        assertThat(telegram.acceptedMentioning(id)).isEmpty();
    }

    @Test
    void redeliveredEventIsNotSentTwice() {
        String id = place("Once only");
        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(status(id)));
        // The stream was trimmed once the entry was acknowledged: the same event is written again.
        String eventId = jdbc.sql("SELECT event_id::text FROM notification WHERE order_id = CAST(? AS uuid)").param(id)
                .query(String.class).single();
        var duplicate = redis.opsForStream().add(StreamRecords.newRecord().in(stream.key()).ofMap(Map.of(
                "eventId", eventId, "type", "OrderPlaced", "aggregateType", "Order", "aggregateId", id,
                "payload", "{}", "committedAt", java.time.Instant.now().toString())));
        await().atMost(Duration.ofSeconds(20)).until(() -> consumed(duplicate.getValue()));

        String later = place("After the duplicate");
        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(status(later)));
        assertThat(telegram.requestsMentioning(id)).hasSize(1);
    }

    @Test
    void unreadableStreamEntryIsDeadLetteredAndBlocksNothing() {
        var poison = redis.opsForStream().add(StreamRecords.newRecord().in(stream.key())
                .ofMap(Map.of("eventId", "not-a-uuid", "payload", "{")));
        String id = place("Behind the poison");

        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(status(id)));
        await().atMost(Duration.ofSeconds(10)).until(() -> consumed(poison.getValue()));
        assertThat(jdbc.sql("SELECT reason FROM stream_poison WHERE stream_entry_id = ?").param(poison.getValue())
                .query(String.class).single()).contains("eventId");
    }

    @Test
    void migratedChatIsFollowed() {
        telegram.migrateNext("-1009999");
        String id = place("Moved chat");

        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(status(id)));
        List<FakeBotApi.Request> tries = telegram.requestsMentioning(id);
        assertThat(tries).extracting(FakeBotApi.Request::chatId).containsExactly(
                com.onlinedukan.support.DukanTestContext.CHAT_ID, "-1009999");
        String next = place("Next in the moved chat");
        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(status(next)));
        assertThat(telegram.acceptedMentioning(next).get(0).chatId()).isEqualTo("-1009999");
    }

    @Test
    void entriesLeftPendingByADeadConsumerAreClaimedAndDelivered() {
        inbox.stop();
        try {
            orphanAnEntry();
        }
        finally {
            inbox.start();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(status(orphaned)));
        assertThat(telegram.acceptedMentioning(orphaned)).hasSize(1);
        // Its entry taken over, the dead consumer's name leaves the group once it expires.
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.opsForStream().consumers(stream.key(), "dukan-notifier")
                .stream().noneMatch(c -> "ghost".equals(c.consumerName())));
        assertThat(redis.opsForStream().consumers(stream.key(), "dukan-notifier")).isNotEmpty();
    }

    String orphaned;

    private void orphanAnEntry() {
        String id = place("Orphaned");
        orphaned = id;
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.<String, String>opsForStream()
                .range(stream.key(), Range.unbounded()).stream().anyMatch(e -> id.equals(e.getValue().get("aggregateId"))));
        // A consumer that reads the entry and dies before registering it.
        var read = redis.<String, String>opsForStream().read(
                org.springframework.data.redis.connection.stream.Consumer.from("dukan-notifier", "ghost"),
                org.springframework.data.redis.connection.stream.StreamOffset.create(stream.key(),
                        org.springframework.data.redis.connection.stream.ReadOffset.lastConsumed()));
        assertThat(read).anyMatch(e -> id.equals(e.getValue().get("aggregateId")));
    }

    private boolean consumed(String entryId) {
        var group = redis.opsForStream().groups(stream.key()).stream().findFirst().orElseThrow();
        return group.pendingCount() == 0 && compare(group.lastDeliveredId(), entryId) >= 0;
    }

    private static int compare(String a, String b) {
        String[] x = a.split("-");
        String[] y = b.split("-");
        int major = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        return major != 0 ? major : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
    }

    /**
     * An order that arrives while a sender is idle is claimed by the statement that registers it and
     * handed to that sender, which sends it once: its lease starts with its row (lease_until is
     * created_at plus the lease, to the microsecond; a sender's own claim would start it later).
     */
    @Test
    void anOrderArrivingWhileASenderIsIdleIsClaimedAsItIsRegisteredAndSentOnce() {
        await().atMost(Duration.ofSeconds(15)).until(dispatcher::takesHandOver);
        telegram.hold();
        String id = place("Handed over");
        await().atMost(Duration.ofSeconds(15)).until(() -> !telegram.requestsMentioning(id).isEmpty());
        assertThat(jdbc.sql("SELECT lease_until = created_at + make_interval(secs => :lease) FROM notification "
                + "WHERE order_id = :order").param("lease", properties.lease().toMillis() / 1000.0)
                .param("order", UUID.fromString(id)).query(Boolean.class).single())
                .as("claimed by the statement that registered it").isTrue();
        telegram.release();

        await().atMost(Duration.ofSeconds(15)).until(() -> "DELIVERED".equals(status(id)));
        assertThat(telegram.acceptedMentioning(id)).hasSize(1);
    }

    /**
     * Claims handed over while delivery is paused are given back at once, not left to their lease:
     * the rows are free again within moments, nothing is sent while paused, and after the resume
     * each is sent once.
     */
    @Test
    void claimsHandedOverWhileDeliveryIsPausedAreGivenBackAtOnceAndSentOnceAfterTheResume() {
        List<UUID> orderIds = List.of(UUID.randomUUID(), UUID.randomUUID());
        List<OutboxEvent> events = orderIds.stream().map(order -> new OutboxEvent(UUID.randomUUID(), "Order",
                order.toString(), "OrderPlaced", "{\"orderId\":\"" + order + "\",\"customerName\":\"Handed back\","
                        + "\"customerPhone\":\"+1\",\"items\":[{\"sku\":\"A\",\"name\":\"A\",\"quantity\":1,"
                        + "\"unitPrice\":2.50}],\"total\":2.50}", Instant.now(), null)).toList();
        List<DeliveryLedger.Claim> claims = ledger.registerClaimed(events, "hand-over-test", properties.lease()).claims();
        assertThat(claims).hasSize(2);
        List<UUID> eventIds = events.stream().map(OutboxEvent::id).toList();

        control.pause("test", "claims handed over while paused");
        try {
            dispatcher.handOver(claims);
            await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.sql("SELECT count(*) FROM notification "
                    + "WHERE event_id IN (:ids) AND status = 'PENDING' AND lease_token IS NULL")
                    .param("ids", eventIds).query(Integer.class).single() == 2);
            orderIds.forEach(order -> assertThat(telegram.requestsMentioning(order.toString())).isEmpty());
        }
        finally {
            control.resume("test");
        }
        for (UUID order : orderIds) {
            await().atMost(Duration.ofSeconds(15)).until(() -> !telegram.acceptedMentioning(order.toString()).isEmpty());
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.sql("SELECT count(*) FROM notification "
                + "WHERE event_id IN (:ids) AND status = 'DELIVERED'").param("ids", eventIds).query(Integer.class).single() == 2);
        orderIds.forEach(order -> assertThat(telegram.acceptedMentioning(order.toString())).hasSize(1));
    }

    private String place(String name) {
        Orders.Response placed = orders.place(Orders.order(name + " " + UUID.randomUUID(), null, "TEA-001"));
        assertThat(placed.status()).isEqualTo(201);
        return placed.id();
    }

    private String status(String orderId) {
        return orders.get(orderId).body().get("notification").get("status").asString();
    }

    private void awaitIdle() {
        await().atMost(Duration.ofSeconds(30)).until(() -> new Ledger(jdbc).waiting() == 0);
    }
}
