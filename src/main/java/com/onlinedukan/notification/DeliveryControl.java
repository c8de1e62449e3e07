package com.onlinedukan.notification;

import java.sql.Timestamp;
import java.util.Optional;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The pause switch for delivery, in PostgreSQL so that every instance obeys it. While paused,
 * events are still registered (nothing is dropped); nothing is sent.
 */
@Component
class DeliveryControl {

    private static final long CACHE_NANOS = 500_000_000L;

    private final JdbcClient jdbc;
    private volatile DeliveryPause cached;
    private volatile long cachedAt;

    DeliveryControl(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        Gauge.builder("dukan.delivery.paused", this, c -> c.state().paused() ? 1 : 0)
                .description("1 while delivery is paused").register(meters);
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

    DeliveryPause set(boolean paused, String by) {
        jdbc.sql("UPDATE delivery_control SET paused = :paused, changed_by = :by, changed_at = now() WHERE id = 1")
                .param("paused", paused).param("by", by).update();
        cached = null;
        return state();
    }

    private DeliveryPause read() {
        return jdbc.sql("SELECT paused, changed_by, changed_at FROM delivery_control WHERE id = 1")
                .query((rs, row) -> new DeliveryPause(rs.getBoolean("paused"), rs.getString("changed_by"),
                        Optional.ofNullable(rs.getTimestamp("changed_at")).map(Timestamp::toInstant).orElse(null)))
                .single();
    }

}
