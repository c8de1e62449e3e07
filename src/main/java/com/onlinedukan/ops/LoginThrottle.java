package com.onlinedukan.ops;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/**
 * Failed ops logins per client address and attempted user name: after {@code limit} failures
 * within a minute, that client's further wrong credentials for that name are answered 429 until
 * the bucket refills. It never decides about a correct credential ({@link OpsCredential} checks
 * first): many SREs share one address (a proxy, a NAT), and a stranger's failures there must not
 * lock them out. Guessing stays hopeless because the password is high-entropy configuration; the
 * throttle keeps a guesser's noise bounded and visible (429, the {@code throttled} checks). In
 * memory, per instance.
 */
final class LoginThrottle {

    /** Beyond this many tracked keys, those with no recent failure are forgotten, so the map stays bounded. */
    private static final int TRACKED = 10_000;
    /** Enough of a user name to tell SREs apart; more would only let a guesser grow the keys. */
    private static final int NAME_CHARS = 64;

    private final int limit;
    private final Map<String, Bucket> failures = new ConcurrentHashMap<>();

    LoginThrottle(int limit) {
        this.limit = limit;
    }

    boolean exhausted(String client, String username) {
        Bucket bucket = failures.get(key(client, username));
        return bucket != null && bucket.getAvailableTokens() <= 0;
    }

    void failed(String client, String username) {
        if (failures.size() >= TRACKED) {
            failures.values().removeIf(bucket -> bucket.getAvailableTokens() >= limit);
            if (failures.size() >= TRACKED) {
                // Flooded with fresh keys: starting over only turns some 429s back into 401s; no
                // wrong credential was ever accepted because of this map, nor a right one refused.
                failures.clear();
            }
        }
        failures.computeIfAbsent(key(client, username), c -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limit).refillGreedy(limit, Duration.ofMinutes(1)).build())
                .build()).tryConsume(1);
    }

    private static String key(String client, String username) {
        String name = username == null ? "" : username;
        return client + '\n' + (name.length() > NAME_CHARS ? name.substring(0, NAME_CHARS) : name);
    }

    /** Forgets every failure (tests; a restart does the same). */
    void clear() {
        failures.clear();
    }
}
