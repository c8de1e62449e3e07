package com.onlinedukan.telegram;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets (Bucket4j) for the bot and for each chat, kept in Redis so that every instance
 * draws on the same budget. A send needs a unit from both. When Redis fails, this instance falls
 * back to buckets of its own (and says so once) rather than hold delivery up; it tries Redis again
 * a little later.
 */
class SharedBudgets implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SharedBudgets.class);
    /** A budget check must never hold a send up for long: past this, Redis counts as failed. */
    static final Duration REDIS_TIMEOUT = Duration.ofMillis(500);
    private static final Duration RETRY_REDIS_AFTER = Duration.ofSeconds(5);

    private final TelegramClientProperties.Rate rate;
    private final String botKey;
    private final String chatKeyPrefix;
    private final Supplier<StatefulRedisConnection<byte[], byte[]>> connect;
    private final Map<String, Bucket> local = new ConcurrentHashMap<>();
    private volatile StatefulRedisConnection<byte[], byte[]> connection;
    private volatile ProxyManager<String> remote;
    private volatile long redisRetryAtNanos;
    private volatile boolean onRedis = true;

    /**
     * @param namespace prefix of the Redis keys, e.g. {@code dukan:telegram:budget}
     * @param bot the bot's id (the part of the token before the colon, which is public)
     * @param connect opens a connection to Redis, or null to keep the budgets in this instance
     */
    SharedBudgets(TelegramClientProperties.Rate rate, String namespace, String bot,
            Supplier<StatefulRedisConnection<byte[], byte[]>> connect) {
        this.rate = rate;
        // The limits are part of the key: instances configured alike share a budget, and a changed
        // limit starts a fresh one instead of one instance's configuration overriding another's.
        this.botKey = namespace + ":bot:" + bot + ":" + rate.globalPerSecond() + "ps";
        this.chatKeyPrefix = namespace + ":chat:" + bot + ":";
        this.connect = connect;
        this.onRedis = connect != null;
    }

    /** How long until one send to this chat would be within both budgets; zero if now. */
    Duration waitFor(String chat) {
        return withBuckets(buckets -> {
            long nanos = Math.max(
                    buckets.apply(botKey).estimateAbilityToConsume(1).getNanosToWaitForRefill(),
                    buckets.apply(chatKey(chat)).estimateAbilityToConsume(1).getNanosToWaitForRefill());
            return Duration.ofNanos(Math.max(0, nanos));
        });
    }

    /** Takes one unit from the bot's and the chat's budget, both or neither. */
    boolean tryTake(String chat) {
        return withBuckets(buckets -> {
            Bucket chatBucket = buckets.apply(chatKey(chat));
            if (!chatBucket.tryConsume(1)) {
                return false;
            }
            if (!buckets.apply(botKey).tryConsume(1)) {
                chatBucket.addTokens(1);
                return false;
            }
            return true;
        });
    }

    /** Takes one unit from the bot's budget alone (a call that sends no message). */
    boolean tryTakeBot() {
        return withBuckets(buckets -> buckets.apply(botKey).tryConsume(1));
    }

    private String chatKey(String chat) {
        return chatKeyPrefix + chat + ":" + rate.perChatPerMinute() + "pm-" + rate.perChatPerSecond() + "ps";
    }

    private <T> T withBuckets(Function<Function<String, Bucket>, T> use) {
        ProxyManager<String> proxies = remote();
        if (proxies != null) {
            try {
                T result = use.apply(key -> proxies.getProxy(key, () -> configuration(key)));
                if (!onRedis) {
                    onRedis = true;
                    log.info("Telegram send budgets are shared through Redis again");
                }
                return result;
            }
            catch (RuntimeException e) {
                redisUnavailable(e);
            }
        }
        return use.apply(key -> local.computeIfAbsent(key, this::localBucket));
    }

    private ProxyManager<String> remote() {
        if (connect == null || System.nanoTime() - redisRetryAtNanos < 0) {
            return null;
        }
        ProxyManager<String> current = remote;
        if (current == null) {
            synchronized (this) {
                if (remote == null) {
                    try {
                        StatefulRedisConnection<byte[], byte[]> opened = connect.get();
                        opened.setTimeout(REDIS_TIMEOUT);
                        connection = opened;
                        remote = Bucket4jLettuce.casBasedBuilder(opened)
                                .requestTimeout(REDIS_TIMEOUT)
                                .expirationAfterWrite(ExpirationAfterWriteStrategy
                                        .basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                                .build()
                                .withMapper((String key) -> key.getBytes(StandardCharsets.UTF_8));
                    }
                    catch (RuntimeException e) {
                        redisUnavailable(e);
                        return null;
                    }
                }
                current = remote;
            }
        }
        return current;
    }

    private void redisUnavailable(RuntimeException e) {
        redisRetryAtNanos = System.nanoTime() + RETRY_REDIS_AFTER.toNanos();
        if (onRedis) {
            onRedis = false;
            log.warn("Redis is unavailable for the Telegram send budgets ({}); this instance keeps budgets of its own "
                    + "until it is back", e.toString());
        }
    }

    private Bucket localBucket(String key) {
        var builder = Bucket.builder();
        for (Bandwidth limit : configuration(key).getBandwidths()) {
            builder.addLimit(limit);
        }
        return builder.build();
    }

    private BucketConfiguration configuration(String key) {
        var builder = BucketConfiguration.builder();
        if (key.equals(botKey)) {
            builder.addLimit(atMost(rate.globalPerSecond(), Duration.ofSeconds(1)));
        }
        else {
            builder.addLimit(atMost(rate.perChatPerMinute(), Duration.ofMinutes(1)))
                    .addLimit(atMost(rate.perChatPerSecond(), Duration.ofSeconds(1)));
        }
        return builder.build();
    }

    /**
     * A bucket that never lets more than {@code limit} through in any window of {@code period}
     * (capacity + refill per period = limit): a full bucket refilled at the full rate would allow
     * nearly twice the limit across a window boundary, which is what Telegram answers with 429.
     * The burst is small (a twentieth of the limit) because the steady rate is what is left of the
     * limit after it: a backlog drains at 95 % of the budget, and digests, not bursts, carry the load.
     */
    static Bandwidth atMost(int limit, Duration period) {
        int burst = Math.max(1, limit / 20);
        int refill = Math.max(1, limit - burst);
        return Bandwidth.builder().capacity(burst).refillGreedy(refill, period).build();
    }

    @Override
    public void close() {
        StatefulRedisConnection<byte[], byte[]> current = connection;
        if (current != null) {
            current.close();
        }
    }
}
