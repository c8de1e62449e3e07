package com.onlinedukan.notification;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import com.onlinedukan.cluster.ScanPace;
import com.onlinedukan.order.OrderPlaced;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Backlog gauges for alerting, read from PostgreSQL every few seconds rather than at each scrape,
 * each count paced ({@link ScanPace}) to at most 2 % of the time whatever the tables hold.
 */
@Component
class PipelineGauges {

    final ScanPace openPace = new ScanPace(0.02);
    final ScanPace unledgeredPace = new ScanPace(0.02);

    private final NotificationQueries queries;
    private final Clock clock;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong retrying = new AtomicLong();
    private final AtomicLong dead = new AtomicLong();
    private final AtomicLong oldestUndeliveredMillis = new AtomicLong();
    private final AtomicLong unledgered = new AtomicLong();
    private final DeliveryLedger ledger;
    private final ReconcilerProperties reconciler;

    PipelineGauges(NotificationQueries queries, DeliveryLedger ledger, ReconcilerProperties reconciler, Clock clock,
            MeterRegistry meters) {
        this.queries = queries;
        this.ledger = ledger;
        this.reconciler = reconciler;
        this.clock = clock;
        Gauge.builder("dukan.outbox.unledgered.events", unledgered, AtomicLong::get)
                .description("Order events in the outbox older than the reconciler's grace (by the database's clock) "
                        + "with no ledger row: missed by the stream and by the reconciler")
                .register(meters);
        Gauge.builder("dukan.notifications.pending", pending, AtomicLong::get).tag("status", "PENDING")
                .description("Notifications waiting for their first or next attempt").register(meters);
        Gauge.builder("dukan.notifications.pending", retrying, AtomicLong::get).tag("status", "RETRYING")
                .description("Notifications waiting for their first or next attempt").register(meters);
        Gauge.builder("dukan.notifications.dead.current", dead, AtomicLong::get)
                .description("Dead letters in the ledger now, waiting for an SRE's replay").register(meters);
        Gauge.builder("dukan.outbox.oldest.undelivered.age", oldestUndeliveredMillis, m -> m.get() / 1000.0)
                .baseUnit("seconds").description("Age of the oldest order event neither delivered nor dead")
                .register(meters);
    }

    /**
     * Counted with no watermark (an anti-join of the outbox and the ledger), so it sees what the
     * reconciler's own bookkeeping could not; hence every 30 s rather than every 5, and its time
     * grows with the outbox, which the pace answers.
     */
    @Scheduled(fixedDelayString = "30s", initialDelayString = "10s")
    void tickUnledgered() {
        unledgeredPace.runIfDue(this::refreshUnledgered);
    }

    void refreshUnledgered() {
        unledgered.set(ledger.unledgeredOlderThan(OrderPlaced.TYPE, reconciler.grace()));
    }

    @Scheduled(fixedDelayString = "5s", initialDelayString = "1s")
    void tick() {
        openPace.runIfDue(this::refresh);
    }

    void refresh() {
        NotificationQueries.Open open = queries.open();
        pending.set(open.pending());
        retrying.set(open.retrying());
        dead.set(open.dead());
        oldestUndeliveredMillis.set(open.oldestCommittedAt() == null ? 0
                : Math.max(0, Duration.between(open.oldestCommittedAt(), clock.instant()).toMillis()));
    }
}
