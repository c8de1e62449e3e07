package com.onlinedukan.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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

    /** Whether any notification's first or next attempt is due now (the dispatcher has work). */
    boolean anyDue() {
        return jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM notification
                                WHERE status IN ('PENDING', 'RETRYING') AND next_attempt_at <= now())
                """).query(Boolean.class).single();
    }

    /** Delivered notifications still in the ledger (its retention bounds them). */
    long delivered() {
        return jdbc.sql("SELECT count(*) FROM notification WHERE status = 'DELIVERED'").query(Long.class).single();
    }

    /** Newest first; every filter may be null. By order, the order's index decides; otherwise the creation time's. */
    List<NotificationView> list(UUID orderId, DeliveryStatus status, Instant from, Instant to, int limit) {
        return jdbc.sql("""
                SELECT event_id, order_id, status, attempts, last_error, next_attempt_at, created_at, delivered_at,
                       trace_context
                  FROM notification
                 WHERE %s
                   AND (CAST(:status AS varchar) IS NULL OR status = :status)
                   AND (CAST(:from AS timestamptz) IS NULL OR created_at >= :from)
                   AND (CAST(:to AS timestamptz) IS NULL OR created_at < :to)
                 ORDER BY created_at DESC, event_id
                 LIMIT :limit
                """.formatted(orderId == null ? "TRUE" : "order_id = :orderId"))
                .param("orderId", orderId)
                .param("status", status == null ? null : status.name(), java.sql.Types.VARCHAR)
                .param("from", DeliveryLedger.timestamp(from))
                .param("to", DeliveryLedger.timestamp(to))
                .param("limit", limit)
                .query((rs, row) -> view(rs, List.of()))
                .list();
    }

    /**
     * The last {@code minutes} minutes (this one included), oldest first, one row each even when
     * nothing was delivered: one statement over the delivered rows' partial index on
     * {@code delivered_at}. The delay is commit → Telegram's answer, as in
     * {@code dukan_notification_delivery_seconds}.
     */
    List<DeliveredMinute> deliveredPerMinute(int minutes) {
        return jdbc.sql("""
                WITH since AS (SELECT date_trunc('minute', now()) - make_interval(mins => :minutes - 1) AS at),
                per_minute AS (
                    SELECT date_trunc('minute', delivered_at) AS minute, count(*) AS delivered,
                           percentile_cont(0.5) WITHIN GROUP (ORDER BY delay) AS p50,
                           percentile_cont(0.99) WITHIN GROUP (ORDER BY delay) AS p99
                      FROM (SELECT delivered_at,
                                   EXTRACT(EPOCH FROM delivered_at - event_committed_at)::double precision AS delay
                              FROM notification
                             WHERE status = 'DELIVERED' AND delivered_at >= (SELECT at FROM since)) d
                     GROUP BY 1)
                SELECT m.minute, COALESCE(p.delivered, 0) AS delivered, p.p50, p.p99
                  FROM generate_series((SELECT at FROM since), date_trunc('minute', now()), interval '1 minute') AS m(minute)
                  LEFT JOIN per_minute p ON p.minute = m.minute
                 ORDER BY m.minute
                """)
                .param("minutes", minutes)
                .query((rs, row) -> new DeliveredMinute(rs.getTimestamp("minute").toInstant(), rs.getLong("delivered"),
                        nullableDouble(rs, "p50"), nullableDouble(rs, "p99")))
                .list();
    }

    /** The newest poison entries first. */
    List<PoisonEntry> poison(int limit) {
        return jdbc.sql("""
                SELECT id, stream_entry_id, left(fields, :max) AS fields, reason, at
                  FROM stream_poison ORDER BY at DESC, id DESC LIMIT :limit
                """)
                .param("max", PoisonEntry.MAX_FIELDS)
                .param("limit", limit)
                .query((rs, row) -> new PoisonEntry(rs.getLong("id"), rs.getString("stream_entry_id"),
                        rs.getString("fields"), rs.getString("reason"), rs.getTimestamp("at").toInstant()))
                .list();
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    /**
     * One notification with its history, read in one statement so that both are of one moment: read
     * apart, a transition committing in between showed a DELIVERED notification with no attempt.
     */
    Optional<NotificationView> find(UUID eventId) {
        return jdbc.sql("""
                SELECT n.event_id, n.order_id, n.status, n.attempts, n.last_error, n.next_attempt_at, n.created_at,
                       n.delivered_at, n.trace_context, a.at, a.outcome, a.error
                  FROM notification n LEFT JOIN notification_history a ON a.event_id = n.event_id
                 WHERE n.event_id = :id
                 ORDER BY a.at, a.id
                """).param("id", eventId).query((ResultSet rs) -> {
                    if (!rs.next()) {
                        return Optional.<NotificationView>empty();
                    }
                    List<NotificationView.Attempt> history = new ArrayList<>();
                    // The first row has the notification; each row, one attempt of its history (if any).
                    NotificationView view = view(rs, Collections.unmodifiableList(history));
                    do {
                        if (rs.getTimestamp("at") != null) {
                            history.add(new NotificationView.Attempt(rs.getTimestamp("at").toInstant(),
                                    AttemptOutcome.valueOf(rs.getString("outcome")), rs.getString("error")));
                        }
                    }
                    while (rs.next());
                    return Optional.of(view);
                });
    }

    private static NotificationView view(ResultSet rs, List<NotificationView.Attempt> history) throws SQLException {
        return new NotificationView(rs.getObject("event_id", UUID.class), rs.getObject("order_id", UUID.class),
                DeliveryStatus.valueOf(rs.getString("status")), rs.getInt("attempts"), rs.getString("last_error"),
                DeliveryLedger.instant(rs, "next_attempt_at"), DeliveryLedger.instant(rs, "created_at"),
                DeliveryLedger.instant(rs, "delivered_at"),
                EventTrace.parse(rs.getString("trace_context")).map(EventTrace::traceId).orElse(null), null, null,
                history);
    }
}
