package com.onlinedukan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.onlinedukan.cluster.Leadership;
import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.DukanTestContext.TestDatabase;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Instances;
import com.onlinedukan.support.Orders;
import com.onlinedukan.support.OwnRedis;
import com.onlinedukan.support.TestServers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.embedded.RedisServer;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Whole service instances started, stopped and run side by side on one database, slot and stream,
 * and the Redis under one of them stopped and restarted empty.
 */
@Tag("full-stack")
class MultiInstanceTests {

    static final String[] FAST = { "--server.port=0", "--dukan.notification.retry.initial-backoff=200ms",
            "--dukan.notification.retry.max-backoff=1s", "--dukan.notification.retry.max-attempts=1000",
            "--dukan.reconciler.grace=2s", "--dukan.reconciler.interval=1s", "--dukan.relay.leadership-check-interval=500ms" };

    @RegisterExtension
    final Instances instances = new Instances(FAST);
    final FakeBotApi telegram = instances.alongside(FakeBotApi.start());

    @Test
    void serviceStoppedMidRunAndRestartedDeliversEverything() {
        ConfigurableApplicationContext first = instances.start(DukanTestContext.firstOf(telegram));
        TestDatabase database = first.getBean(TestDatabase.class);
        telegram.failNext(100_000, 502, "Bad Gateway");
        List<String> placedBefore = Instances.place(first, "Before the stop", 10);
        JdbcClient jdbc = first.getBean(JdbcClient.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql(
                "SELECT count(*) FROM notification WHERE status = 'RETRYING'").query(Long.class).single() > 0);
        first.close();

        telegram.clearScript();
        ConfigurableApplicationContext second = instances.start(DukanTestContext.sharing(database, telegram));
        List<String> placedAfter = Instances.place(second, "After the restart", 5);

        awaitEachDeliveredOnce(placedBefore);
        awaitEachDeliveredOnce(placedAfter);
    }

    @Test
    void twoInstancesShareTheWorkAndTheSurvivorTakesOverTheRelay() {
        ConfigurableApplicationContext a = instances.start(DukanTestContext.firstOf(telegram));
        TestDatabase database = a.getBean(TestDatabase.class);
        ConfigurableApplicationContext b = instances.start(DukanTestContext.sharing(database, telegram));
        await().atMost(Duration.ofSeconds(20)).until(() -> leader(a) ^ leader(b));
        ConfigurableApplicationContext leader = leader(a) ? a : b;
        ConfigurableApplicationContext standby = leader == a ? b : a;

        List<String> ids = new ArrayList<>(Instances.place(a, "Via A", 5));
        ids.addAll(Instances.place(b, "Via B", 5));
        awaitEachDeliveredOnce(ids);

        leader.close();
        List<String> whileFailingOver = Instances.place(standby, "During failover", 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> leader(standby));
        List<String> afterwards = Instances.place(standby, "After failover", 5);

        awaitEachDeliveredOnce(whileFailingOver);
        awaitEachDeliveredOnce(afterwards);
        awaitEachDeliveredOnce(ids);
    }

    @Test
    void redisDownThenBackEmptyLosesNothingAndTheCustomerNeverWaits() throws Exception {
        int port = TestServers.freePort();
        RedisServer redis = OwnRedis.start(port);
        try {
            ConfigurableApplicationContext instance = instances.start(DukanTestContext.firstOf(telegram).onRedis(port));
            TestDatabase database = instance.getBean(TestDatabase.class);
            List<String> before = Instances.place(instance, "Before Redis stopped", 3);
            awaitEachDeliveredOnce(before);

            redis.stop();
            long started = System.nanoTime();
            List<String> duringOutage = Instances.place(instance, "While Redis is down", 5);
            Duration placing = Duration.ofNanos(System.nanoTime() - started);
            // Orders are PostgreSQL's business only: placing them does not wait for Redis.
            assertThat(placing).isLessThan(Duration.ofSeconds(5));
            // Whether these reach Telegram while Redis is still down is not asserted either way: the stream
            // cannot carry them, but the reconciler writes events past its grace (2 s here) into the ledger
            // from the outbox, which needs no Redis; on a slow machine the first of them are past it
            // before the last is placed. What must hold is below: each is delivered, once.

            redis = OwnRedis.start(port);
            List<String> after = Instances.place(instance, "After Redis came back", 3);

            awaitEachDeliveredOnce(duringOutage);
            awaitEachDeliveredOnce(after);
            awaitEachDeliveredOnce(before);
        }
        finally {
            instances.close();
            redis.stop();
        }
    }

    private static boolean leader(ConfigurableApplicationContext instance) {
        return instance.isActive() && instance.getBean(Leadership.class).isLeader();
    }

    private void awaitEachDeliveredOnce(List<String> ids) {
        telegram.awaitEachAcceptedOnce(ids, Duration.ofSeconds(60));
    }


}
