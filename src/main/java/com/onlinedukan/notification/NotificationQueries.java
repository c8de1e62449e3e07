package com.onlinedukan.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What SREs read of the ledger and the outbox. */
@Component
class NotificationQueries {

    private final JdbcClient jdbc;

    NotificationQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Map<DeliveryStatus, Long> countsByStatus() {
        Map<DeliveryStatus, Long> counts = new java.util.EnumMap<>(DeliveryStatus.class);
        for (DeliveryStatus status : DeliveryStatus.values()) {
            counts.put(status, 0L);
        }
        jdbc.sql("SELECT status, count(*) AS n FROM notification GROUP BY status")
                .query((rs, row) -> counts.put(DeliveryStatus.valueOf(rs.getString("status")), rs.getLong("n")))
                .list();
        return counts;
    }

    /** Outbox order events neither delivered nor dead, and the age of the oldest. */
    long[] undelivered() {
        return jdbc.sql("""
                SELECT count(*) AS n,
                       COALESCE(EXTRACT(EPOCH FROM now() - min(o.created_at)) * 1000, 0)::bigint AS oldest_ms
                  FROM outbox o LEFT JOIN notification n ON n.event_id = o.id
                 WHERE o.type = 'OrderPlaced' AND (n.status IS NULL OR n.status IN ('PENDING', 'RETRYING'))
                """).query((rs, row) -> new long[] { rs.getLong("n"), rs.getLong("oldest_ms") }).single();
    }

    List<NotificationView> list(DeliveryStatus status, Instant from, Instant to, int limit) {
        return jdbc.sql("""
                SELECT event_id, order_id, status, attempts, last_error, next_attempt_at, created_at, delivered_at
                  FROM notification
                 WHERE (CAST(:status AS varchar) IS NULL OR status = :status)
                   AND (CAST(:from AS timestamptz) IS NULL OR created_at >= :from)
                   AND (CAST(:to AS timestamptz) IS NULL OR created_at < :to)
                 ORDER BY created_at DESC, event_id
                 LIMIT :limit
                """)
                .param("status", status == null ? null : status.name(), java.sql.Types.VARCHAR)
                .param("from", window(DeliveryStatus.DEAD, from, to).get("from"))
                .param("to", window(DeliveryStatus.DEAD, from, to).get("to"))
                .param("limit", limit)
                .query((rs, row) -> view(rs, List.of()))
                .list();
    }

    long countMatching(DeliveryStatus status, Instant from, Instant to) {
        return jdbc.sql("""
                SELECT count(*) FROM notification
                 WHERE status = :status
                   AND (CAST(:from AS timestamptz) IS NULL OR created_at >= :from)
                   AND (CAST(:to AS timestamptz) IS NULL OR created_at < :to)
                """).params(window(status, from, to)).query(Long.class).single();
    }

    /** Named parameters status, from, to; nulls typed so PostgreSQL can tell what they are. */
    static Map<String, Object> window(DeliveryStatus status, Instant from, Instant to) {
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("status", status.name());
        params.put("from", new org.springframework.jdbc.core.SqlParameterValue(java.sql.Types.TIMESTAMP_WITH_TIMEZONE,
                from == null ? null : java.time.OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC)));
        params.put("to", new org.springframework.jdbc.core.SqlParameterValue(java.sql.Types.TIMESTAMP_WITH_TIMEZONE,
                to == null ? null : java.time.OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC)));
        return params;
    }

    Optional<NotificationView> find(UUID eventId) {
        List<NotificationView.Attempt> history = jdbc.sql(
                "SELECT at, outcome, error FROM notification_attempt WHERE event_id = :id ORDER BY at, id")
                .param("id", eventId)
                .query((rs, row) -> new NotificationView.Attempt(rs.getTimestamp("at").toInstant(),
                        rs.getString("outcome"), rs.getString("error")))
                .list();
        return jdbc.sql("""
                SELECT event_id, order_id, status, attempts, last_error, next_attempt_at, created_at, delivered_at
                  FROM notification WHERE event_id = :id
                """).param("id", eventId).query((rs, row) -> view(rs, history)).optional();
    }

    private static NotificationView view(ResultSet rs, List<NotificationView.Attempt> history) throws SQLException {
        return new NotificationView(rs.getObject("event_id", UUID.class), rs.getObject("order_id", UUID.class),
                DeliveryStatus.valueOf(rs.getString("status")), rs.getInt("attempts"), rs.getString("last_error"),
                instant(rs, "next_attempt_at"), instant(rs, "created_at"), instant(rs, "delivered_at"), history);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
