package com.onlinedukan.order;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stripe-style idempotency for placing orders. The key is inserted in the same transaction as
 * the order it leads to, so a concurrent request with the same key blocks on that row until the
 * first commits, then replays its response; if the first rolls back, the second places the order.
 */
@Component
public class IdempotencyKeys {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);

    private final JdbcClient jdbc;
    private final OrderProperties properties;

    IdempotencyKeys(JdbcClient jdbc, OrderProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** The response first given for a key. */
    public record StoredResponse(UUID orderId, int status, String body) {
    }

    /** What a request with a key got: a fresh response, or the replay of the first one. */
    public record Outcome(StoredResponse response, boolean replayed) {
    }

    /** The key was used before with a different request body. */
    public static class KeyReusedException extends RuntimeException {

        public KeyReusedException() {
            super("This Idempotency-Key was already used with a different request body.");
        }
    }

    /**
     * Runs {@code action} once per key: the first request with the key runs it (in this
     * transaction) and stores its response; later ones with the same request hash get that response.
     *
     * @throws KeyReusedException when the key was used with a different request
     */
    @Transactional
    public Outcome once(String key, String requestHash, Supplier<StoredResponse> action) {
        int claimed = jdbc.sql("""
                INSERT INTO idempotency_key (key, request_hash) VALUES (:key, :hash)
                ON CONFLICT (key) DO NOTHING
                """).param("key", key).param("hash", requestHash).update();
        if (claimed == 1) {
            StoredResponse response = action.get();
            jdbc.sql("""
                    UPDATE idempotency_key SET order_id = :orderId, response_code = :status, response_body = :body
                     WHERE key = :key
                    """)
                    .param("orderId", response.orderId())
                    .param("status", response.status())
                    .param("body", response.body())
                    .param("key", key)
                    .update();
            return new Outcome(response, false);
        }
        Optional<Stored> stored = jdbc.sql("""
                SELECT request_hash, order_id, response_code, response_body FROM idempotency_key WHERE key = :key
                """).param("key", key)
                .query((rs, row) -> new Stored(rs.getString("request_hash"), new StoredResponse(
                        rs.getObject("order_id", UUID.class), rs.getInt("response_code"), rs.getString("response_body"))))
                .optional();
        if (stored.isEmpty()) {
            // Purged between our insert attempt and the read: treat the request as new.
            return once(key, requestHash, action);
        }
        if (!stored.get().requestHash().equals(requestHash)) {
            throw new KeyReusedException();
        }
        return new Outcome(stored.get().response(), true);
    }

    private record Stored(String requestHash, StoredResponse response) {
    }

    @Scheduled(fixedDelayString = "${dukan.orders.idempotency-purge-interval:1h}", initialDelayString = "1m")
    void purgeExpired() {
        int purged = jdbc.sql("DELETE FROM idempotency_key WHERE created_at < now() - make_interval(secs => :seconds)")
                .param("seconds", (double) properties.idempotencyRetention().toSeconds())
                .update();
        if (purged > 0) {
            log.info("Purged {} idempotency keys older than {}", purged, properties.idempotencyRetention());
        }
    }
}
