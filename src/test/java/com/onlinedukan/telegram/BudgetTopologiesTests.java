package com.onlinedukan.telegram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import com.onlinedukan.support.RedisTopologies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The send budgets are one budget for every instance on each Redis topology Spring Boot
 * configures, through Spring's own connection factory as the service builds it: a unit one
 * instance took is gone for the other, for the bot and for every chat (whichever cluster slot its
 * key falls in), and on Sentinel still after a failover. Real {@code redis-server} processes.
 */
class BudgetTopologiesTests {

    static RedisTopologies.Cluster cluster;
    static RedisTopologies.Sentinel sentinel;
    final List<AutoCloseable> opened = new ArrayList<>();
    /** A burst of one for each chat (the second unit within the window is refused); the bot's out of the way. */
    final TelegramClientProperties.Rate chats = new TelegramClientProperties.Rate(100_000, 20, 1);
    /** A burst of one for the bot, refilled one a second. */
    final TelegramClientProperties.Rate bot = new TelegramClientProperties.Rate(2, 20, 1);

    @BeforeAll
    static void startTopologies() {
        cluster = RedisTopologies.cluster(3);
        sentinel = RedisTopologies.sentinel();
    }

    @AfterAll
    static void stopTopologies() {
        if (cluster != null) {
            cluster.close();
        }
        if (sentinel != null) {
            sentinel.close();
        }
    }

    @AfterEach
    void closeBudgets() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void onARedisClusterTwoInstancesDrawOnOneBudgetForTheBotAndForEveryChat() {
        RedisClusterConfiguration configuration = new RedisClusterConfiguration(List.of(cluster.nodes().split(",")));
        SharedBudgets botA = budgets(configuration, "test:cluster-bot", bot);
        SharedBudgets botB = budgets(configuration, "test:cluster-bot", bot);
        // Both connected before the race: opening a connection takes longer than a refill.
        assertThat(botA.waitFor("-1")).isZero();
        assertThat(botB.waitFor("-1")).isZero();
        assertThat(botA.tryTakeBot()).isTrue();
        assertThat(botB.tryTakeBot()).as("the bot's unit instance A took is gone for B").isFalse();

        SharedBudgets a = budgets(configuration, "test:cluster", chats);
        SharedBudgets b = budgets(configuration, "test:cluster", chats);
        a.waitFor("-1");
        b.waitFor("-1");
        // Chats whose keys fall in slots all over the cluster: each one budget for both instances.
        for (int chat = 1; chat <= 30; chat++) {
            String id = "-100" + chat;
            SharedBudgets first = chat % 2 == 0 ? a : b;
            SharedBudgets second = first == a ? b : a;
            assertThat(first.waitFor(id)).isZero();
            assertThat(chatUnit(first, id)).as("chat %s, first instance", id).isTrue();
            assertThat(chatUnit(second, id)).as("chat %s: the unit the other instance took is gone", id).isFalse();
        }
        assertThat(List.of(a, b)).allSatisfy(budgets -> {
            assertThat(budgets.shared()).isTrue();
            assertThat(budgets.sharedThrough()).isEqualTo("cluster");
        });
        List<String> keys = cluster.keys("test:cluster:*");
        assertThat(keys).as("the bot, the warm-up chat and the 30 chats").hasSize(32);
        assertThat(keys.stream().map(key -> key.split(" ")[0]).distinct()).as("keys on several masters").hasSizeGreaterThan(1);
    }

    @Test
    void onSentinelTwoInstancesDrawOnOneBudgetAndStillDoAfterAFailover() {
        RedisSentinelConfiguration configuration = new RedisSentinelConfiguration(RedisTopologies.Sentinel.MASTER_NAME,
                Set.of(sentinel.nodes()));
        SharedBudgets a = budgets(configuration, "test:sentinel", chats);
        SharedBudgets b = budgets(configuration, "test:sentinel", chats);
        a.waitFor("-1");
        b.waitFor("-1");

        assertThat(chatUnit(a, "-1001")).isTrue();
        assertThat(chatUnit(b, "-1001")).isFalse();
        assertThat(a.sharedThrough()).isEqualTo("sentinel");

        int newMaster = sentinel.failover();

        // Once both follow the Sentinel to the new master they share one budget there again (and
        // not on the old master, which takes writes for a moment until the Sentinel demotes it).
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String chat = "-200" + System.nanoTime();
            return chatUnit(a, chat) && !chatUnit(b, chat) && a.shared() && b.shared()
                    && !sentinel.onMaster("--scan", "--pattern", "test:sentinel:chat:*:" + chat + ":*").isBlank();
        });
        assertThat(sentinel.masterPort()).isEqualTo(newMaster);
        IntStream.range(0, 5).forEach(i -> {
            String chat = "-300" + i;
            assertThat(chatUnit(b, chat)).isTrue();
            assertThat(chatUnit(a, chat)).isFalse();
        });
    }

    /** One unit of the chat's budget (and of the bot's, which is out of the way here). */
    private static boolean chatUnit(SharedBudgets budgets, String chat) {
        return budgets.tryTake(chat);
    }

    private SharedBudgets budgets(RedisConfiguration configuration, String namespace,
            TelegramClientProperties.Rate rate) {
        LettuceConnectionFactory factory = configuration instanceof RedisClusterConfiguration c
                ? new LettuceConnectionFactory(c) : new LettuceConnectionFactory((RedisSentinelConfiguration) configuration);
        factory.afterPropertiesSet();
        factory.start();
        opened.add(factory::destroy);
        SharedBudgets budgets = new SharedBudgets(rate, namespace, "1", () -> RedisBuckets.on(factory));
        opened.add(budgets);
        return budgets;
    }
}
