package com.onlinedukan.notification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.onlinedukan.order.OrderPlaced;
import com.onlinedukan.outbox.Outbox;
import com.onlinedukan.outbox.OutboxEvent;
import com.onlinedukan.cluster.Leadership;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The safety net behind the relay and Redis: order events older than the grace period that the
 * ledger has never seen (Redis lost them, the relay skipped them) are written into the ledger
 * directly, from the outbox. It walks the outbox once, behind a durable watermark, so a lagging
 * consumer costs it nothing and nothing is published twice. Runs on the relay leader only.
 */
@Component
class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private static final int PAGE = 500;

    private final Outbox outbox;
    private final DeliveryLedger ledger;
    private final Dispatcher dispatcher;
    private final Leadership leadership;
    private final ReconcilerProperties properties;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final Counter recovered;

    Reconciler(Outbox outbox, DeliveryLedger ledger, Dispatcher dispatcher, Leadership leadership,
            ReconcilerProperties properties, JdbcClient jdbc, Clock clock, MeterRegistry meters) {
        this.outbox = outbox;
        this.ledger = ledger;
        this.dispatcher = dispatcher;
        this.leadership = leadership;
        this.properties = properties;
        this.jdbc = jdbc;
        this.clock = clock;
        this.recovered = Counter.builder("dukan.reconciler.events.recovered")
                .description("Outbox events the stream never brought, written into the ledger by the reconciler")
                .register(meters);
    }

    @Scheduled(fixedDelayString = "${dukan.reconciler.interval:30s}", initialDelayString = "${dukan.reconciler.interval:30s}")
    void reconcileOnLeader() {
        if (!leadership.isLeader()) {
            return;
        }
        try {
            int count = reconcile();
            if (count > 0) {
                log.warn("Recovered {} order events the stream never brought to the notifier", count);
            }
        }
        catch (RuntimeException e) {
            log.warn("Reconciliation failed: {}", e.getMessage());
        }
    }

    /**
     * Registers the missing events written since the last round (and the round before, for a
     * transaction that committed late), up to the grace period; returns how many were missing.
     */
    int reconcile() {
        Instant to = clock.instant().minus(properties.grace());
        Instant checked = checkedBefore();
        Instant from = checked.equals(Instant.MIN) ? Instant.EPOCH : checked.minus(properties.interval());
        if (!from.isBefore(to)) {
            return 0;
        }
        int missing = 0;
        OutboxEvent last = null;
        List<OutboxEvent> page;
        do {
            page = outbox.written(OrderPlaced.TYPE, from, to, last, PAGE);
            List<OutboxEvent> orders = page.stream().filter(Reconciler::namesAnOrder).toList();
            missing += ledger.register(orders);
            if (!page.isEmpty()) {
                last = page.get(page.size() - 1);
            }
        }
        while (page.size() == PAGE);
        advanceTo(to);
        if (missing > 0) {
            recovered.increment(missing);
            dispatcher.wakeUp();
        }
        return missing;
    }

    /** Everything written before this has been checked; events older than it may leave the outbox. */
    Instant checkedBefore() {
        return jdbc.sql("SELECT checked_before FROM reconciler_watermark WHERE id = 1")
                .query((rs, row) -> {
                    java.sql.Timestamp ts = rs.getTimestamp(1);
                    return ts == null ? Instant.MIN : ts.toInstant();
                })
                .single();
    }

    private void advanceTo(Instant to) {
        jdbc.sql("UPDATE reconciler_watermark SET checked_before = GREATEST(COALESCE(checked_before, :to), :to) WHERE id = 1")
                .param("to", java.sql.Timestamp.from(to))
                .update();
    }

    private static boolean namesAnOrder(OutboxEvent event) {
        try {
            UUID.fromString(event.aggregateId());
            return true;
        }
        catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** How far back the outbox may be purged: only what the reconciler checked, and older than the retention. */
    Instant outboxPurgeHorizon() {
        Instant checked = checkedBefore();
        Instant retained = clock.instant().minus(properties.outboxRetention());
        if (checked.equals(Instant.MIN)) {
            return Instant.EPOCH;
        }
        Instant safe = checked.minus(properties.interval());
        return safe.isBefore(retained) ? safe : retained;
    }

    Duration interval() {
        return properties.interval();
    }
}
