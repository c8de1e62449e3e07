package com.onlinedukan.notification;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.onlinedukan.stream.OutboxStream;
import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Instances;
import com.onlinedukan.support.Orders;
import com.onlinedukan.support.OwnRedis;
import com.onlinedukan.support.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis may come back empty; PostgreSQL still has every event, and the reconciler brings them back.
 * The service runs on a Redis of this class's own: a FLUSHALL on the one every other test class
 * shares would empty their streams too.
 */
@Tag("full-stack")
class RedisLossTests {

    static RedisServer ownRedis;
    static Instances instances;
    static ConfigurableApplicationContext service;

    int port;
    FakeBotApi telegram;
    StringRedisTemplate redis;
    OutboxStream stream;
    Inbox inbox;
    JdbcClient jdbc;

    @BeforeAll
    static void startOnARedisOfItsOwn() throws IOException {
        int redisPort = TestServers.freePort();
        ownRedis = OwnRedis.start(redisPort);
        instances = new Instances("--dukan.reconciler.grace=1s", "--dukan.reconciler.interval=1s",
                "--dukan.reconciler.outbox-retention=2s", "--dukan.notification.retention.interval=1s");
        service = instances.start(new DukanTestContext().onRedis(redisPort));
    }

    @AfterAll
    static void stop() throws IOException {
        instances.close();
        ownRedis.stop();
    }

    RedisLossTests() {
        port = ((WebServerApplicationContext) service).getWebServer().getPort();
        telegram = service.getBean(FakeBotApi.class);
        redis = service.getBean(StringRedisTemplate.class);
        stream = service.getBean(OutboxStream.class);
        inbox = service.getBean(Inbox.class);
        jdbc = service.getBean(JdbcClient.class);
    }

    @Test
    void redisFlushedMidRunLosesNoNotification() {
        Orders orders = new Orders(port);
        List<String> before = orders.placeMany("Before", 3);
        awaitDelivered(before);

        // The notifier falls behind; the stream holds events nobody has read yet. Then Redis loses everything.
        inbox.stop();
        List<String> lost;
        try {
            lost = orders.placeMany("Lost", 5);
            await().atMost(Duration.ofSeconds(20)).until(() -> inStream().containsAll(lost));
            redis.execute(connection -> {
                connection.serverCommands().flushAll();
                return null;
            }, true);
            assertThat(redis.hasKey(stream.key())).isFalse();
        }
        finally {
            inbox.start();
        }
        List<String> after = orders.placeMany("After", 2);

        awaitDelivered(lost);
        awaitDelivered(after);
        // Still once each: the republished and re-read entries sent nothing again.
        awaitDelivered(concat(before, lost, after));
    }

    @Test
    void deliveredEventsArePurgedFromTheOutboxAfterTheRetention() {
        Orders orders = new Orders(port);
        List<String> ids = orders.placeMany("Purged later", 2);
        // Checked at once: a retention of 2 s can pass while a busy machine delivers.
        assertThat(outboxRows(ids)).isEqualTo(2);
        awaitDelivered(ids);

        await().atMost(Duration.ofSeconds(20)).until(() -> outboxRows(ids) == 0);
        assertThat(jdbc.sql("SELECT count(*) FROM notification WHERE order_id IN (:ids) AND status = 'DELIVERED'")
                .param("ids", ids.stream().map(UUID::fromString).toList()).query(Long.class).single()).isEqualTo(2);
    }

    private long outboxRows(List<String> ids) {
        return jdbc.sql("SELECT count(*) FROM outbox WHERE aggregateid IN (:ids)").param("ids", ids)
                .query(Long.class).single();
    }

    private void awaitDelivered(List<String> ids) {
        telegram.awaitEachAcceptedOnce(ids, Duration.ofSeconds(40));
    }

    private List<String> inStream() {
        return redis.<String, String>opsForStream().range(stream.key(), Range.unbounded()).stream()
                .map(e -> e.getValue().get("aggregateId")).toList();
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return all;
    }
}
