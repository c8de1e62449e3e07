package com.onlinedukan.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.onlinedukan.notification.DeliveryPause;
import com.onlinedukan.notification.DeliveryPausedByTelegram;
import com.onlinedukan.notification.DeliveryResumedByProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The record of every replay, pause and resume: who asked, when, for what, how many it touched.
 * Telegram's own pauses ({@code telegram}) and the probe's resumes ({@code probe}) are recorded
 * too, with why as their target.
 */
@Component
public class OpsAudit {

    private static final Logger log = LoggerFactory.getLogger(OpsAudit.class);

    /** One SRE action. */
    public record Entry(Instant at, String actor, AuditAction action, String target, int count) {
    }

    private final JdbcClient jdbc;
    private final Duration retention;

    OpsAudit(JdbcClient jdbc, OpsProperties properties) {
        this.jdbc = jdbc;
        this.retention = properties.auditRetention();
    }

    /** Records an action; returns the entry's id. */
    long record(String actor, AuditAction action, String target, long count) {
        return jdbc.sql("""
                INSERT INTO ops_audit (actor, action, target, affected) VALUES (:actor, :action, :target, :count)
                RETURNING id""")
                .param("actor", actor).param("action", action.name()).param("target", target)
                .param("count", (int) Math.min(Integer.MAX_VALUE, count))
                .query(Long.class)
                .single();
    }

    /** Sets what an action touched once it is known (a bulk replay, recorded before its chunks ran). */
    void correctCount(long entry, long count) {
        jdbc.sql("UPDATE ops_audit SET affected = :count WHERE id = :id")
                .param("count", (int) Math.min(Integer.MAX_VALUE, count)).param("id", entry)
                .update();
    }

    @EventListener
    void pausedByTelegram(DeliveryPausedByTelegram paused) {
        automatic(DeliveryPause.BY_TELEGRAM, AuditAction.PAUSE, paused.reason());
    }

    @EventListener
    void resumedByProbe(DeliveryResumedByProbe resumed) {
        automatic(DeliveryPause.BY_PROBE, AuditAction.RESUME, resumed.reason());
    }

    /** The switch has changed already; an audit row that cannot be written now is logged instead, not retried. */
    private void automatic(String actor, AuditAction action, String why) {
        try {
            record(actor, action, "delivery: " + why, 1);
        }
        catch (RuntimeException e) {
            log.warn("Could not audit {} of delivery by {} ({}): {}", action, actor, why, e.getMessage());
        }
    }

    public List<Entry> recent(int limit) {
        return jdbc.sql("SELECT at, actor, action, target, affected FROM ops_audit ORDER BY at DESC, id DESC LIMIT :limit")
                .param("limit", limit)
                .query((rs, row) -> new Entry(rs.getTimestamp("at").toInstant(), rs.getString("actor"),
                        AuditAction.valueOf(rs.getString("action")), rs.getString("target"), rs.getInt("affected")))
                .list();
    }

    @Scheduled(fixedDelayString = "1h", initialDelayString = "2m")
    void purgeExpired() {
        int purged = jdbc.sql("DELETE FROM ops_audit WHERE at < now() - make_interval(secs => :seconds)")
                .param("seconds", (double) retention.toSeconds())
                .update();
        if (purged > 0) {
            log.info("Purged {} audit entries older than {}", purged, retention);
        }
    }
}
