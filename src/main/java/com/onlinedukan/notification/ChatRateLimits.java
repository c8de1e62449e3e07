package com.onlinedukan.notification;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

import org.springframework.stereotype.Component;

/**
 * Token buckets (Bucket4j) for the bot and for each chat, and the pauses Telegram orders with
 * {@code retry_after}. A send needs a token from both; the limits are this instance's.
 */
@Component
class ChatRateLimits {

    private final TelegramRateProperties rates;
    private final Bucket global;
    private final Map<String, Bucket> chats = new ConcurrentHashMap<>();
    private final Map<String, Long> pausedUntilNanos = new ConcurrentHashMap<>();

    ChatRateLimits(TelegramRateProperties rates) {
        this.rates = rates;
        this.global = Bucket.builder().addLimit(atMost(rates.globalPerSecond(), Duration.ofSeconds(1))).build();
    }

    /** How long until a send to this chat would be allowed; zero if it is now. */
    Duration waitFor(String chat) {
        long paused = pausedUntilNanos.getOrDefault(chat, 0L) - System.nanoTime();
        long nanos = Math.max(paused, Math.max(
                global.estimateAbilityToConsume(1).getNanosToWaitForRefill(),
                bucket(chat).estimateAbilityToConsume(1).getNanosToWaitForRefill()));
        return Duration.ofNanos(Math.max(0, nanos));
    }

    /** Takes a token for one send to this chat, or returns false and takes nothing. */
    boolean tryAcquire(String chat) {
        if (!waitFor(chat).isZero() || !bucket(chat).tryConsume(1)) {
            return false;
        }
        if (!global.tryConsume(1)) {
            bucket(chat).addTokens(1);
            return false;
        }
        return true;
    }

    /** Telegram said to wait: nothing goes to this chat before then. */
    void pause(String chat, Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        pausedUntilNanos.merge(chat, until, Math::max);
    }

    private Bucket bucket(String chat) {
        return chats.computeIfAbsent(chat, c -> Bucket.builder()
                .addLimit(atMost(rates.perChatPerMinute(), Duration.ofMinutes(1)))
                .addLimit(atMost(rates.perChatPerSecond(), Duration.ofSeconds(1)))
                .build());
    }

    /**
     * A bucket that never lets more than {@code limit} through in any window of {@code period}:
     * a burst of a quarter of the limit, and the rest refilled evenly over the period
     * (capacity + refill per period = limit). A full bucket refilled at the full rate would allow
     * nearly twice the limit across a window boundary, which is what Telegram answers with 429.
     */
    static Bandwidth atMost(int limit, Duration period) {
        int burst = Math.max(1, limit / 4);
        int refill = Math.max(1, limit - burst);
        return Bandwidth.builder().capacity(burst).refillGreedy(refill, period).build();
    }
}
