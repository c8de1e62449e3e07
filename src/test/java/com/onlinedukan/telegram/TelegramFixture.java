package com.onlinedukan.telegram;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.TestServers;
import com.zaxxer.hikari.HikariDataSource;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Sender instances as the service builds them, on a database of their own (migrated by Flyway)
 * and the shared test Redis, talking to one fake Bot API. Every sender made by one fixture shares
 * its stores, like instances of the service do; a new sender is an instance started afresh.
 */
final class TelegramFixture implements AutoCloseable {

    static final String TOKEN = "777:SECRET-token";
    static final String CHAT = "-100";

    private static final AtomicInteger databases = new AtomicInteger();

    final FakeBotApi telegram = FakeBotApi.start();
    final JdbcClient jdbc;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final HikariDataSource dataSource;
    private final RedisClient redis;
    private final String namespace;
    private final List<BotApiSender> senders = new ArrayList<>();
    /** The budgets of the sender made last. */
    SharedBudgets budgets;

    /** Budgets out of the way (bursts of 50): tests of the budgets set their own. */
    TelegramClientProperties.Rate rate = new TelegramClientProperties.Rate(1000, 60_000, 1000);
    TelegramClientProperties.Circuit circuit = new TelegramClientProperties.Circuit(50, 5, 10, Duration.ofSeconds(5));
    Duration timeout = Duration.ofSeconds(2);

    TelegramFixture() {
        TestServers servers = TestServers.get();
        String name = "dukan_tg" + databases.incrementAndGet() + "_" + ProcessHandle.current().pid();
        dataSource = servers.migratedDatabase(name, 8);
        jdbc = JdbcClient.create(dataSource);
        redis = RedisClient.create(RedisURI.create(servers.redisHost(), servers.redisPort()));
        // Budgets of this fixture alone: other tests in the JVM use the same Redis.
        namespace = "test:" + name + ":budget";
    }

    /** A new sender instance, as a freshly started service would have. */
    BotApiSender sender() {
        return sender(new SimpleMeterRegistry());
    }

    BotApiSender sender(io.micrometer.core.instrument.MeterRegistry registry) {
        TelegramProperties properties = new TelegramProperties(TOKEN, CHAT, URI.create(telegram.url()));
        budgets = new SharedBudgets(rate, namespace, properties.botId(),
                () -> RedisBuckets.on(redis.connect(ByteArrayCodec.INSTANCE)));
        BotApiSender sender = new BotApiSender(new BotApi(properties, timeout, Duration.ofMinutes(15)), new StaffChat(jdbc, CHAT, Duration.ofMinutes(15)), budgets,
                new BotApiCircuit(circuit, registry));
        senders.add(sender);
        return sender;
    }

    /** The senders' PostgreSQL pool, for a test that must make them wait for a connection. */
    HikariDataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        senders.forEach(BotApiSender::close);
        redis.shutdown();
        dataSource.close();
        telegram.close();
    }
}
