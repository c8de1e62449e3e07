package com.onlinedukan.notification;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The pause switch for delivery, in PostgreSQL so that every instance obeys it. While paused,
 * events are still registered (nothing is dropped); nothing is sent. An SRE pauses it, or the
 * notifier itself when Telegram refuses the bot or the chat. The notifier's own pauses and the
 * probe's resumes are published ({@link DeliveryPausedByTelegram}, {@link DeliveryResumedByProbe})
 * for the ops audit; an SRE's are audited where the SRE asks.
 */
@Component
class DeliveryControl {

    private static final long CACHE_NANOS = 500_000_000L;

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private volatile DeliveryPause cached;
    private volatile long cachedAt;

    DeliveryControl(JdbcClient jdbc, ApplicationEventPublisher events, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.events = events;
        Gauge.builder("dukan.delivery.paused", this, c -> c.state().paused() ? 1 : 0)
                .description("1 while delivery is paused (by an SRE or by Telegram's refusal)").register(meters);
        Gauge.builder("dukan.delivery.paused.by.telegram", this, c -> c.state().byTelegram() ? 1 : 0)
                .description("1 while delivery is paused because Telegram refuses the bot or the chat")
                .register(meters);
    }

    /** The switch as of at most half a second ago: the dispatcher asks before every send. */
    DeliveryPause state() {
        DeliveryPause current = cached;
        if (current == null || System.nanoTime() - cachedAt > CACHE_NANOS) {
            current = read();
            cached = current;
            cachedAt = System.nanoTime();
        }
        return current;
    }

    /**
     * An SRE pauses delivery; it stays the SRE's to lift (Telegram's own pause, which never replaces
     * one, is {@link #pauseForRefusal}).
     */
    DeliveryPause pause(String by, String reason) {
        jdbc.sql("UPDATE delivery_control SET paused = true, changed_by = :by, changed_at = now(), reason = :reason "
                + "WHERE id = 1")
                .param("by", by).param("reason", Objects.requireNonNullElse(reason, "")).update();
        cached = null;
        return state();
    }

    /**
     * Telegram refused the send of {@code claim}: delivery pauses, Telegram's, unless it is paused
     * already or the switch changed after the claim was made (by the database's clock). A refusal
     * whose recording was late (its write is retried while the claim holds) must not undo a resume
     * that came after it, a probe's or an SRE's: the next send, if still refused, pauses afresh.
     */
    DeliveryPause pauseForRefusal(String reason, DeliveryLedger.Claim claim, Duration lease) {
        int changed = jdbc.sql("""
                UPDATE delivery_control SET paused = true, changed_by = :by, changed_at = now(), reason = :reason
                 WHERE id = 1 AND NOT paused
                   AND (changed_at IS NULL
                        OR changed_at < (SELECT n.lease_until - make_interval(secs => :lease) FROM notification n
                                          WHERE n.event_id = :eventId AND n.lease_token = :token))
                """)
                .param("by", DeliveryPause.BY_TELEGRAM).param("reason", Objects.requireNonNullElse(reason, ""))
                .param("lease", lease.toMillis() / 1000.0).param("eventId", claim.eventId()).param("token", claim.token())
                .update();
        cached = null;
        DeliveryPause state = state();
        if (changed == 1) {
            events.publishEvent(new DeliveryPausedByTelegram(at(state), state.reason()));
        }
        return state;
    }

    /**
     * A probe found Telegram reachable: lifts the pause only if it is still Telegram's, in the same
     * statement, so an SRE's pause taken meanwhile (whatever the cache said) stays. Returns whether it lifted.
     */
    boolean resumeAfterProbe(String reason) {
        int changed = jdbc.sql("UPDATE delivery_control SET paused = false, changed_by = :by, changed_at = now(), "
                + "reason = NULL WHERE id = 1 AND paused AND changed_by = :telegram")
                .param("by", DeliveryPause.BY_PROBE)
                .param("telegram", DeliveryPause.BY_TELEGRAM).update();
        cached = null;
        if (changed == 1) {
            events.publishEvent(new DeliveryResumedByProbe(at(state()), reason));
        }
        return changed == 1;
    }

    private static Instant at(DeliveryPause state) {
        return state.pausedAt() != null ? state.pausedAt() : Instant.now();
    }

    DeliveryPause resume(String by) {
        jdbc.sql("UPDATE delivery_control SET paused = false, changed_by = :by, changed_at = now(), reason = NULL WHERE id = 1")
                .param("by", by).update();
        cached = null;
        return state();
    }

    private DeliveryPause read() {
        return jdbc.sql("SELECT paused, changed_by, changed_at, reason FROM delivery_control WHERE id = 1")
                .query((rs, row) -> new DeliveryPause(rs.getBoolean("paused"), rs.getString("changed_by"),
                        DeliveryLedger.instant(rs, "changed_at"), rs.getString("reason")))
                .single();
    }
}
