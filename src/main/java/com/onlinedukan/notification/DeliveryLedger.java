package com.onlinedukan.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.onlinedukan.relay.RelayedEvent;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The durable record of every notification, keyed by the outbox event id. Its rows decide
 * whether a notification may be sent: only a PENDING or RETRYING one that is due and whose lease
 * is free can be claimed, and a DELIVERED one never again (but by an explicit replay).
 */
@Component
class DeliveryLedger {

    private final JdbcClient jdbc;

    DeliveryLedger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A notification claimed for one send attempt by one instance. */
    record Claim(UUID eventId, String payload, int attempts, Instant committedAt) {
    }

    /** Records the event as PENDING unless the ledger knows it already; true if it was new. */
    boolean register(RelayedEvent event, UUID orderId) {
        return jdbc.sql("""
                INSERT INTO notification (event_id, order_id, status, payload, event_committed_at, next_attempt_at)
                VALUES (:eventId, :orderId, 'PENDING', CAST(:payload AS jsonb), :committedAt, now())
                ON CONFLICT (event_id) DO NOTHING
                """)
                .param("eventId", event.eventId())
                .param("orderId", orderId)
                .param("payload", event.payload())
                .param("committedAt", Timestamp.from(event.committedAt()))
                .update() == 1;
    }

    /** Claims one notification if it is sendable now; empty if delivered, dead, not due, or leased elsewhere. */
    Optional<Claim> claim(UUID eventId, String owner, Duration lease) {
        return jdbc.sql("""
                UPDATE notification
                   SET lease_owner = :owner, lease_until = now() + make_interval(secs => :leaseSeconds)
                 WHERE event_id = :eventId
                   AND status IN ('PENDING', 'RETRYING')
                   AND next_attempt_at <= now()
                   AND (lease_until IS NULL OR lease_until < now())
                RETURNING event_id, payload::text AS payload, attempts, event_committed_at
                """)
                .param("owner", owner)
                .param("leaseSeconds", lease.toMillis() / 1000.0)
                .param("eventId", eventId)
                .query(DeliveryLedger::claim)
                .optional();
    }

    /** Claims up to {@code limit} notifications whose next attempt is due, oldest first. */
    List<Claim> claimDue(String owner, Duration lease, int limit) {
        return jdbc.sql("""
                UPDATE notification
                   SET lease_owner = :owner, lease_until = now() + make_interval(secs => :leaseSeconds)
                 WHERE event_id IN (
                        SELECT event_id FROM notification
                         WHERE status IN ('PENDING', 'RETRYING')
                           AND next_attempt_at <= now()
                           AND (lease_until IS NULL OR lease_until < now())
                         ORDER BY next_attempt_at
                         LIMIT :limit
                           FOR UPDATE SKIP LOCKED)
                RETURNING event_id, payload::text AS payload, attempts, event_committed_at
                """)
                .param("owner", owner)
                .param("leaseSeconds", lease.toMillis() / 1000.0)
                .param("limit", limit)
                .query(DeliveryLedger::claim)
                .list();
    }

    /** Gives claims back without an attempt (a digest could not hold them). */
    void release(List<UUID> eventIds) {
        if (eventIds.isEmpty()) {
            return;
        }
        jdbc.sql("UPDATE notification SET lease_owner = NULL, lease_until = NULL WHERE event_id IN (:ids)")
                .param("ids", eventIds)
                .update();
    }

    private static Claim claim(ResultSet rs, int row) throws SQLException {
        return new Claim(rs.getObject("event_id", UUID.class), rs.getString("payload"), rs.getInt("attempts"),
                rs.getTimestamp("event_committed_at").toInstant());
    }

    @Transactional
    void delivered(UUID eventId, long messageId) {
        jdbc.sql("""
                UPDATE notification
                   SET status = 'DELIVERED', attempts = attempts + 1, telegram_message_id = :messageId,
                       delivered_at = now(), last_error = NULL, next_attempt_at = NULL,
                       lease_owner = NULL, lease_until = NULL
                 WHERE event_id = :eventId
                """)
                .param("eventId", eventId)
                .param("messageId", messageId)
                .update();
        attempt(eventId, "DELIVERED", null);
    }

    @Transactional
    void retrying(UUID eventId, String outcome, String error, Duration delay) {
        jdbc.sql("""
                UPDATE notification
                   SET status = 'RETRYING', attempts = attempts + 1, last_error = :error,
                       next_attempt_at = now() + make_interval(secs => :delaySeconds),
                       lease_owner = NULL, lease_until = NULL
                 WHERE event_id = :eventId AND status <> 'DELIVERED'
                """)
                .param("eventId", eventId)
                .param("error", error)
                .param("delaySeconds", delay.toMillis() / 1000.0)
                .update();
        attempt(eventId, outcome, error);
    }

    @Transactional
    void dead(UUID eventId, String outcome, String error) {
        jdbc.sql("""
                UPDATE notification
                   SET status = 'DEAD', attempts = attempts + 1, last_error = :error, next_attempt_at = NULL,
                       lease_owner = NULL, lease_until = NULL
                 WHERE event_id = :eventId AND status <> 'DELIVERED'
                """)
                .param("eventId", eventId)
                .param("error", error)
                .update();
        attempt(eventId, outcome, error);
    }

    private void attempt(UUID eventId, String outcome, String error) {
        jdbc.sql("INSERT INTO notification_attempt (event_id, outcome, error) VALUES (:eventId, :outcome, :error)")
                .param("eventId", eventId)
                .param("outcome", outcome)
                .param("error", error)
                .update();
    }

    /**
     * The one way back: an SRE's replay puts a notification — even a DELIVERED one — back to
     * PENDING with a fresh attempt count. One in the middle of a send (leased) is left alone.
     */
    @Transactional
    List<UUID> replay(String where, java.util.Map<String, ?> params, String actor) {
        // where is one of Notifications' fixed predicates, never user text; the values are bound.
        List<UUID> replayed = jdbc.sql("""
                UPDATE notification
                   SET status = 'PENDING', attempts = 0, next_attempt_at = now(), last_error = NULL,
                       lease_owner = NULL, lease_until = NULL
                 WHERE (lease_until IS NULL OR lease_until < now()) AND (%s)
                RETURNING event_id
                """.formatted(where))
                .params(params)
                .query(UUID.class)
                .list();
        for (UUID eventId : replayed) {
            attempt(eventId, "REPLAYED", "replay requested by " + actor);
        }
        return replayed;
    }

    /** Keeps a stream entry that is not a readable event, with the reason, so it is never retried. */
    void poison(String entryId, String fields, String reason) {
        jdbc.sql("INSERT INTO stream_poison (stream_entry_id, fields, reason) VALUES (:id, :fields, :reason)")
                .param("id", entryId)
                .param("fields", fields)
                .param("reason", reason)
                .update();
    }

    Optional<NotificationStatus> statusOfOrder(UUID orderId) {
        return jdbc.sql("""
                SELECT status, attempts, last_error, delivered_at FROM notification
                 WHERE order_id = :orderId ORDER BY created_at DESC LIMIT 1
                """)
                .param("orderId", orderId)
                .query((rs, row) -> new NotificationStatus(DeliveryStatus.valueOf(rs.getString("status")),
                        rs.getInt("attempts"), rs.getString("last_error"),
                        Optional.ofNullable(rs.getTimestamp("delivered_at")).map(Timestamp::toInstant).orElse(null)))
                .optional();
    }
}
