package com.onlinedukan;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.onlinedukan.order.Order;
import com.onlinedukan.order.OrderDesk;
import com.onlinedukan.stream.OutboxStream;
import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Orders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** From a customer's POST to the staff's Telegram message, through every real component. */
@DukanTest
class OrderPipelineTests {

    @LocalServerPort
    int port;

    @Autowired
    FakeBotApi telegram;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    com.onlinedukan.notification.Notifications notifications;

    @Autowired
    OrderDesk desk;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    OutboxStream stream;

    Orders orders;

    @BeforeEach
    void setUp() {
        orders = new Orders(port);
    }

    @AfterEach
    void releaseTelegram() {
        telegram.release();
    }

    /**
     * Whatever Redis holds at the stream's key, no committed order is lost and the SREs see why
     * nothing moves. With a string there (every XADD and XREADGROUP answered WRONGTYPE): the relay
     * keeps its offset and says why (health {@code relay} WARNING, {@code relay.lastError} with
     * Redis' words, not "invalid commands"), the pipeline view shows the stream unreadable with the
     * reason instead of failing (it was a 500), and once the key is freed the order reaches Telegram
     * once and the relay's error clears.
     */
    @Test
    void aStreamKeyHoldingSomethingElseLosesNothingAndTheOpsViewSaysWhy() {
        com.onlinedukan.support.OpsClient ops = new com.onlinedukan.support.OpsClient(port);
        String orderId;
        redis.delete(stream.key());
        redis.opsForValue().set(stream.key(), "not a stream");
        try {
            orderId = orders.placeMany("Stream key taken", 1).get(0);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                var pipeline = ops.call("GET", "/api/ops/pipeline", null);
                return pipeline.status() == 200
                        && pipeline.body().path("stream").path("error").asString("").contains("WRONGTYPE")
                        && pipeline.body().path("stream").path("length").isNull()
                        && pipeline.body().path("relay").path("lastError").asString("").contains("WRONGTYPE");
            });
            var consumers = ops.call("GET", "/api/ops/consumers", null);
            assertThat(consumers.status()).isEqualTo(200);
            assertThat(consumers.body().path("error").asString()).contains("WRONGTYPE");
            var relay = ops.call("GET", "/actuator/health/relay", null).body();
            assertThat(relay.path("status").asString()).isEqualTo("WARNING");
            assertThat(relay.path("details").path("error").asString()).contains("WRONGTYPE");
            assertThat(telegram.acceptedMentioning(orderId)).isEmpty();
        }
        finally {
            redis.delete(stream.key());
        }

        telegram.awaitEachAcceptedOnce(List.of(orderId), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                ops.call("GET", "/api/ops/pipeline", null).body().path("relay").path("lastError").isNull());
        assertThat(ops.call("GET", "/actuator/health/relay", null).body().path("status").asString()).isEqualTo("UP");
    }

    @Test
    void aRolledBackOrderNeverReachesTheStreamOrTelegram() {
        UUID rolledBack = transactions.execute(status -> {
            UUID id = desk.place(new Order.Customer("Rolled back", "+998901234567"), List.of(
                    new Order.OrderLine("TEA-001", "Green tea", 2, new BigDecimal("12.50"))), null).id();
            status.setRollbackOnly();
            return id;
        });
        String committed = orders.place(Orders.order("Committed after", null, "TEA-001")).id();

        // The later, committed order travels the whole way; the rolled-back one never enters it.
        await().atMost(Duration.ofSeconds(20)).until(() -> !telegram.acceptedMentioning(committed).isEmpty());
        assertThat(redis.<String, String>opsForStream().range(stream.key(), Range.unbounded()))
                .noneMatch(entry -> rolledBack.toString().equals(entry.getValue().get("aggregateId")));
        assertThat(telegram.requestsMentioning(rolledBack.toString())).isEmpty();
    }

    @Test
    void everyPlacedOrderReachesTheStaffChatOnce() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Orders.Response placed = orders.place(Orders.order("Aziz Karimov " + i, "Call before delivery", "TEA-001"));
            assertThat(placed.status()).isEqualTo(201);
            assertThat(placed.raw().headers().firstValue("Location")).hasValue("/api/orders/" + placed.id());
            assertThat(placed.body().get("total").decimalValue()).isEqualByComparingTo("25.00");
            assertThat(placed.body().get("status").asString()).isEqualTo("PLACED");
            assertThat(placed.body().get("createdAt").asString()).isNotBlank();
            ids.add(placed.id());
        }

        for (String id : ids) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !telegram.acceptedMentioning(id).isEmpty());
        }
        for (int i = 0; i < ids.size(); i++) {
            List<FakeBotApi.Request> messages = telegram.acceptedMentioning(ids.get(i));
            assertThat(messages).hasSize(1);
            FakeBotApi.Request message = messages.get(0);
            assertThat(message.token()).isEqualTo(DukanTestContext.BOT_TOKEN);
            assertThat(message.method()).isEqualTo("sendMessage");
            assertThat(message.chatId()).isEqualTo(DukanTestContext.CHAT_ID);
            assertThat(message.parseMode()).isEqualTo("HTML");
            assertThat(message.text()).contains("Aziz Karimov " + i).contains("25.00");
        }
    }

    /**
     * A backlog (delivery paused, then resumed) is sent by several senders at once, not one message
     * after another: with every send answered only after 400 ms, two of them must reach Telegram
     * less than half that apart. With one sender it failed (the closest two 427 ms apart). (A
     * resume wakes one sender and a full claim the next; here the others would also find the
     * backlog at their next poll, 100 ms in tests, so this does not tell the two apart.)
     */
    @Test
    void aBacklogIsSentBySeveralSendersAtOnce() {
        Duration latency = Duration.ofMillis(400);
        notifications.pause("test", "a backlog of several digests");
        List<String> ids;
        int before;
        try {
            ids = orders.placeMany("Backlog", 200);
            await().atMost(Duration.ofSeconds(30)).until(
                    () -> count("notification WHERE status = 'PENDING' AND order_id IN ("
                            + ids.stream().map(id -> "'" + id + "'").collect(java.util.stream.Collectors.joining(",")) + ")")
                            == ids.size());
            telegram.delay(latency);
            before = telegram.requests().size();
        }
        finally {
            notifications.resume("test");
        }
        try {
            telegram.awaitEachAcceptedOnce(ids, Duration.ofSeconds(60));
        }
        finally {
            telegram.delay(Duration.ZERO);
        }
        List<java.time.Instant> sends = telegram.requests().subList(before, telegram.requests().size()).stream()
                .filter(request -> "sendMessage".equals(request.method())).map(FakeBotApi.Request::at).sorted().toList();
        assertThat(sends).as("digests of 200 orders").hasSizeGreaterThanOrEqualTo(4);
        Duration closest = java.util.stream.IntStream.range(1, sends.size())
                .mapToObj(i -> Duration.between(sends.get(i - 1), sends.get(i))).min(Duration::compareTo).orElseThrow();
        assertThat(closest).as("the closest two sends of the backlog").isLessThan(latency.dividedBy(2));
    }

    @Test
    void orderShowsItsNotificationDelivered() {
        String id = orders.place(Orders.order("Dilnoza", null, "RICE-5KG", "OIL-1L")).id();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> "DELIVERED".equals(orders.get(id).body().get("notification").get("status").asString()));
        var order = orders.get(id).body();
        assertThat(order.get("id").asString()).isEqualTo(id);
        assertThat(order.get("items")).hasSize(2);
        assertThat(order.get("total").decimalValue()).isEqualByComparingTo("50.00");
        assertThat(order.get("notification").get("attempts").asInt()).isEqualTo(1);
        assertThat(order.get("notification").get("deliveredAt").asString()).isNotBlank();
    }

    @Test
    void anOrderRetriedUnderItsIdempotencyKeyIsNotifiedOnce() {
        String key = "retry-" + UUID.randomUUID();
        String body = Orders.order("Retried", null, "TEA-001");
        String id = orders.place(body, key).id();
        assertThat(orders.place(body, key).id()).isEqualTo(id);

        await().atMost(Duration.ofSeconds(20)).until(() -> !telegram.acceptedMentioning(id).isEmpty());
        assertThat(orders.place(body, key).id()).as("a retry after the delivery").isEqualTo(id);
        assertThat(telegram.requestsMentioning(id)).hasSize(1);
    }

    @Test
    void hostileCustomerTextArrivesEscapedAndWithinTelegramsLimit() {
        String id = orders.place(Orders.order("<b>&", "<i>" + "&".repeat(4990) + "</", "TEA-001")).id();

        await().atMost(Duration.ofSeconds(20)).until(() -> !telegram.acceptedMentioning(id).isEmpty());
        String text = telegram.acceptedMentioning(id).get(0).text();
        assertThat(text.length()).isLessThanOrEqualTo(4096);
        assertThat(text).contains("&lt;b&gt;&amp;").contains(id);
        // Valid Telegram HTML: only our own tags remain once they are removed, no stray '<', '>' or '&'.
        String withoutOurTags = text.replaceAll("</?(b|i|code)>", "");
        assertThat(withoutOurTags).doesNotContain("<").doesNotContain(">");
        assertThat(withoutOurTags.replaceAll("&(amp|lt|gt);", "")).doesNotContain("&");
        assertThat(text.replaceAll("[^<]", "").length() % 2).isZero();
    }

    @Test
    void customerNeverWaitsForTelegram() {
        telegram.hold();
        String first = orders.place(Orders.order("Before the stall", null, "A")).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> !telegram.requestsMentioning(first).isEmpty());

        // Telegram has the first message and is not answering; orders are still taken.
        List<String> placedDuringStall = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Orders.Response placed = orders.place(Orders.order("During the stall " + i, null, "B"));
            assertThat(placed.status()).isEqualTo(201);
            placedDuringStall.add(placed.id());
        }
        assertThat(telegram.acceptedMentioning(first)).isEmpty();

        telegram.release();
        await().atMost(Duration.ofSeconds(30)).until(() -> !telegram.acceptedMentioning(first).isEmpty());
        for (String id : placedDuringStall) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !telegram.acceptedMentioning(id).isEmpty());
            assertThat(telegram.acceptedMentioning(id)).hasSize(1);
        }
    }

    @Test
    void unknownOrderIsNotFoundAndMalformedIdIsBadRequest() {
        assertThat(orders.get("00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
        Orders.Response malformed = orders.get("not-a-uuid");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void invalidOrderIsRejectedNamingEachFieldAndStoresNothing() {
        long ordersBefore = count("orders");
        long eventsBefore = count("outbox");

        Orders.Response rejected = orders.place("""
                {"customer":{"name":"","phone":"+998901234567"},
                 "items":[{"sku":"A","name":"A","quantity":0,"unitPrice":-1}]}""");

        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.body().get("errors").findValuesAsString("field"))
                .contains("customer.name", "items[0].quantity", "items[0].unitPrice");
        assertThat(count("orders")).isEqualTo(ordersBefore);
        assertThat(count("outbox")).isEqualTo(eventsBefore);
    }

    private long count(String table) {
        return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }
}
