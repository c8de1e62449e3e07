package com.onlinedukan.telegram;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets (Bucket4j) for the bot and for each chat, kept in Redis so that every instance
 * draws on the same budget, on every topology Spring Boot configures ({@link RedisBuckets}). A
 * send needs a unit from both. When Redis fails, this instance falls back to buckets of its own
 * rather than hold delivery up, and says so loudly (a WARN, {@link #shared()} false, which the
 * {@code dukan_telegram_budgets_shared} gauge and the {@code telegram} health component show); it
 * tries Redis again a little later.
 */
class SharedBudgets implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SharedBudgets.class);
    private static final Duration RETRY_REDIS_AFTER = Duration.ofSeconds(5);

    private final TelegramClientProperties.Rate rate;
    private final String botKey;
    private final String chatKeyPrefix;
    private final Supplier<RedisBuckets> connect;
    private final Map<String, Bucket> local = new ConcurrentHashMap<>();
    private volatile RedisBuckets remote;
    private volatile long redisRetryAtNanos;
    private volatile boolean onRedis;
    private final AtomicLong fallbacks = new AtomicLong();
    private volatile String localBecause;

    /**
     * @param namespace prefix of the Redis keys, e.g. {@code dukan:telegram:budget}
     * @param bot the bot's id (the part of the token before the colon, which is public)
     * @param connect opens the buckets on Redis; null keeps the budgets in this instance for good
     *     (and says so at WARN: with several instances they would each send the whole budget)
     */
    SharedBudgets(TelegramClientProperties.Rate rate, String namespace, String bot, Supplier<RedisBuckets> connect) {
        this.rate = rate;
        // The limits are part of the key: instances configured alike share a budget, and a changed
        // limit starts a fresh one instead of one instance's configuration overriding another's.
        this.botKey = namespace + ":bot:" + bot + ":" + rate.globalPerSecond() + "ps";
        this.chatKeyPrefix = namespace + ":chat:" + bot + ":";
        this.connect = connect;
        this.onRedis = connect != null;
        if (connect == null) {
            localBecause = "no Lettuce connection to Redis is configured";
            log.warn("The Telegram send budgets are this instance's own ({}): several instances together may send "
                    + "more than dukan.telegram.rate allows", localBecause);
        }
    }

    /** Whether the budgets are shared through Redis right now (false: this instance's own buckets). */
    boolean shared() {
        return onRedis;
    }

    /**
     * How often this instance has fallen back to budgets of its own: a fallback can last less than
     * any scrape of {@link #shared()} sees, and each one may let an extra burst through.
     */
    long fallbacks() {
        return fallbacks.get();
    }

    /** What the budgets are shared through ({@code cluster}, {@code sentinel}, {@code standalone}), or why they are not. */
    String sharedThrough() {
        RedisBuckets current = remote;
        if (onRedis) {
            return current != null ? current.topology() : "redis (not connected yet)";
        }
        return "local: " + localBecause;
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
        RedisBuckets buckets = remote();
        if (buckets != null) {
            try {
                ProxyManager<String> proxies = buckets.proxies();
                T result = use.apply(key -> proxies.getProxy(key, () -> configuration(key)));
                if (!onRedis) {
                    sharedAgain(buckets);
                }
                return result;
            }
            catch (RuntimeException e) {
                redisUnavailable(e);
            }
        }
        return use.apply(key -> local.computeIfAbsent(key, this::localBucket));
    }

    /**
     * Shared again, but only on the connection still in use: a call that went out before another one
     * failed and answered after it says nothing about the calls to come, which use this instance's own
     * buckets until Redis is tried again (said otherwise, the gauge would read "shared" for those seconds).
     */
    private synchronized void sharedAgain(RedisBuckets used) {
        if (!onRedis && remote == used) {
            onRedis = true;
            log.info("Telegram send budgets are shared through Redis ({}) again", used.topology());
        }
    }

    private RedisBuckets remote() {
        if (connect == null || System.nanoTime() - redisRetryAtNanos < 0) {
            return null;
        }
        RedisBuckets current = remote;
        if (current == null) {
            synchronized (this) {
                if (remote == null) {
                    try {
                        remote = connect.get();
                        log.info("Telegram send budgets are shared through Redis ({})", remote.topology());
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

    /** Back to local buckets; the connection is dropped and opened afresh after a while (the server may be another one by then). */
    private synchronized void redisUnavailable(RuntimeException e) {
        redisRetryAtNanos = System.nanoTime() + RETRY_REDIS_AFTER.toNanos();
        RedisBuckets failed = remote;
        remote = null;
        if (failed != null) {
            failed.close();
        }
        localBecause = "Redis failed: " + e;
        if (onRedis) {
            onRedis = false;
            fallbacks.incrementAndGet();
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
    public synchronized void close() {
        RedisBuckets current = remote;
        remote = null;
        if (current != null) {
            current.close();
        }
    }
}
