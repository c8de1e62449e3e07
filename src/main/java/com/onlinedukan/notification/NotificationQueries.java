package com.onlinedukan.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.onlinedukan.outbox.EventTrace;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What SREs read of the ledger. The counts come from small partial indexes, not from the whole ledger. */
@Component
class NotificationQueries {

    private final JdbcClient jdbc;

    NotificationQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Notifications waiting (PENDING, RETRYING) and dead, and the commit time of the oldest waiting one. */
    Open open() {
        return jdbc.sql("""
                SELECT (SELECT count(*) FROM notification WHERE status = 'PENDING') AS pending,
                       (SELECT count(*) FROM notification WHERE status = 'RETRYING') AS retrying,
                       (SELECT count(*) FROM notification WHERE status = 'DEAD') AS dead,
                       (SELECT min(event_committed_at) FROM notification WHERE status IN ('PENDING', 'RETRYING')) AS oldest
                """)
                .query((rs, row) -> new Open(rs.getLong("pending"), rs.getLong("retrying"), rs.getLong("dead"),
                        DeliveryLedger.instant(rs, "oldest")))
                .single();
    }

    record Open(long pending, long retrying, long dead, Instant oldestCommittedAt) {
    }

    /** Delivered notifications still in the ledger (its retention bounds them). */
    long delivered() {
        return jdbc.sql("SELECT count(*) FROM notification WHERE status = 'DELIVERED'").query(Long.class).single();
    }

    List<NotificationView> list(DeliveryStatus status, Instant from, Instant to, int limit) {
        return jdbc.sql("""
                SELECT event_id, order_id, status, attempts, last_error, next_attempt_at, created_at, delivered_at,
                       trace_context
                  FROM notification
                 WHERE (CAST(:status AS varchar) IS NULL OR status = :status)
                   AND (CAST(:from AS timestamptz) IS NULL OR created_at >= :from)
                   AND (CAST(:to AS timestamptz) IS NULL OR created_at < :to)
                 ORDER BY created_at DESC, event_id
                 LIMIT :limit
                """)
                .param("status", status == null ? null : status.name(), java.sql.Types.VARCHAR)
                .param("from", DeliveryLedger.timestamp(from))
                .param("to", DeliveryLedger.timestamp(to))
                .param("limit", limit)
                .query((rs, row) -> view(rs, List.of()))
                .list();
    }

    Optional<NotificationView> find(UUID eventId) {
        List<NotificationView.Attempt> history = jdbc.sql(
                "SELECT at, outcome, error FROM notification_attempt WHERE event_id = :id ORDER BY at, id")
                .param("id", eventId)
                .query((rs, row) -> new NotificationView.Attempt(rs.getTimestamp("at").toInstant(),
                        AttemptOutcome.valueOf(rs.getString("outcome")), rs.getString("error")))
                .list();
        return jdbc.sql("""
                SELECT event_id, order_id, status, attempts, last_error, next_attempt_at, created_at, delivered_at,
                       trace_context
                  FROM notification WHERE event_id = :id
                """).param("id", eventId).query((rs, row) -> view(rs, history)).optional();
    }

    private static NotificationView view(ResultSet rs, List<NotificationView.Attempt> history) throws SQLException {
        return new NotificationView(rs.getObject("event_id", UUID.class), rs.getObject("order_id", UUID.class),
                DeliveryStatus.valueOf(rs.getString("status")), rs.getInt("attempts"), rs.getString("last_error"),
                DeliveryLedger.instant(rs, "next_attempt_at"), DeliveryLedger.instant(rs, "created_at"),
                DeliveryLedger.instant(rs, "delivered_at"),
                EventTrace.parse(rs.getString("trace_context")).map(EventTrace::traceId).orElse(null), history);
    }
}
