package com.onlinedukan.ops;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/**
 * Failed ops logins per client address: after {@code limit} failures within a minute the client
 * is refused without a check until the bucket refills. In memory, per instance: guessing a
 * high-entropy password is hopeless anyway; this keeps a guesser from costing us work and noise.
 */
final class LoginThrottle {

    /** Beyond this many tracked clients, those with no recent failure are forgotten, so the map stays bounded. */
    private static final int TRACKED = 10_000;

    private final int limit;
    private final Map<String, Bucket> failures = new ConcurrentHashMap<>();

    LoginThrottle(int limit) {
        this.limit = limit;
    }

    boolean exhausted(String client) {
        Bucket bucket = failures.get(client);
        return bucket != null && bucket.getAvailableTokens() <= 0;
    }

    void failed(String client) {
        if (failures.size() >= TRACKED) {
            failures.values().removeIf(bucket -> bucket.getAvailableTokens() >= limit);
        }
        failures.computeIfAbsent(client, c -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limit).refillGreedy(limit, Duration.ofMinutes(1)).build())
                .build()).tryConsume(1);
    }

    /** Forgets every failure (tests; a restart does the same). */
    void clear() {
        failures.clear();
    }
}
