package com.onlinedukan.telegram;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Bucket4j's buckets on one Redis connection, on whichever topology Spring Boot configured:
 * standalone, Sentinel (the connection follows the master through a failover), static
 * master/replica, or Cluster (each bucket is one key, so one slot; Lettuce routes it). Every
 * bucket is one key and every change one single-key script, so nothing here needs keys to share
 * a slot.
 *
 * @param topology what the budgets are shared through, for the log, the health detail and SREs
 */
record RedisBuckets(ProxyManager<String> proxies, String topology, AutoCloseable connection) implements AutoCloseable {

    /** A budget check must never hold a send up for long: past this, Redis counts as failed. */
    static final Duration REDIS_TIMEOUT = Duration.ofMillis(500);

    /**
     * On the connection Spring Boot's factory hands out (its shared native connection, so SSL,
     * credentials, client name and the cluster's topology refresh are Boot's); closing gives it back.
     */
    @SuppressWarnings("unchecked")
    static RedisBuckets on(LettuceConnectionFactory factory) {
        RedisConnection connection = factory.getConnection();
        try {
            Object commands = connection.getNativeConnection();
            if (commands instanceof RedisAdvancedClusterAsyncCommands<?, ?> cluster) {
                return new RedisBuckets(proxies(Bucket4jLettuce.casBasedBuilder(
                        (RedisAdvancedClusterAsyncCommands<byte[], byte[]>) cluster)), "cluster", connection);
            }
            if (commands instanceof RedisAsyncCommands<?, ?> single) {
                return new RedisBuckets(proxies(Bucket4jLettuce.casBasedBuilder(
                        (RedisAsyncCommands<byte[], byte[]>) single)),
                        factory.isRedisSentinelAware() ? "sentinel" : "standalone", connection);
            }
            throw new IllegalStateException("Redis connection of an unknown kind for the Telegram budgets: "
                    + commands.getClass().getName());
        }
        catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** On a standalone connection of the caller's; closing closes it. */
    static RedisBuckets on(StatefulRedisConnection<byte[], byte[]> connection) {
        connection.setTimeout(REDIS_TIMEOUT);
        return new RedisBuckets(proxies(Bucket4jLettuce.casBasedBuilder(connection)), "standalone", connection::close);
    }

    /** On a cluster connection of the caller's; closing closes it. */
    static RedisBuckets on(StatefulRedisClusterConnection<byte[], byte[]> connection) {
        connection.setTimeout(REDIS_TIMEOUT);
        return new RedisBuckets(proxies(Bucket4jLettuce.casBasedBuilder(connection)), "cluster", connection::close);
    }

    private static ProxyManager<String> proxies(Bucket4jLettuce.LettuceBasedProxyManagerBuilder<byte[]> builder) {
        return builder.requestTimeout(REDIS_TIMEOUT)
                .expirationAfterWrite(ExpirationAfterWriteStrategy
                        .basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                .build()
                .withMapper((String key) -> key.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        try {
            connection.close();
        }
        catch (Exception e) {
            // Going anyway: the next connection is a new one.
        }
    }
}
