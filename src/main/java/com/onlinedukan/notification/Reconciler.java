package com.onlinedukan.notification;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.onlinedukan.order.OrderPlaced;
import com.onlinedukan.outbox.Outbox;
import com.onlinedukan.outbox.OutboxConsumers;
import com.onlinedukan.outbox.OutboxEvent;
import com.onlinedukan.cluster.Leadership;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The safety net behind the relay and Redis: every committed order event older than the grace
 * period that the ledger lacks (Redis lost it, the relay skipped it, the inbox called its entry
 * poison) is written into the ledger directly, from the outbox, whatever its {@code created_at}
 * and whatever either clock says. It walks the outbox by the id of the transaction that wrote each
 * row, behind a watermark that never passes a transaction still running or an event still inside
 * its grace: an event that becomes visible late is still above the watermark when it does. Ages
 * are the database's own clock. Runs on the relay leader only. The watermark is also what the
 * notifier tells the outbox it has accounted for ({@link OutboxConsumers}, as consumer
 * {@value #CONSUMER}): the outbox keeps every row above it.
 */
@Component
class Reconciler implements SmartInitializingSingleton {

    /** The notifier's name among the outbox's consumers. */
    static final String CONSUMER = "notification";

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private static final int PAGE = 500;

    private final Outbox outbox;
    private final OutboxConsumers consumers;
    private final DeliveryLedger ledger;
    private final Dispatcher dispatcher;
    private final Leadership leadership;
    private final ReconcilerProperties properties;
    private final JdbcClient jdbc;
    private final Counter recovered;

    Reconciler(Outbox outbox, OutboxConsumers consumers, DeliveryLedger ledger, Dispatcher dispatcher,
            Leadership leadership, ReconcilerProperties properties, JdbcClient jdbc, MeterRegistry meters) {
        this.outbox = outbox;
        this.consumers = consumers;
        this.ledger = ledger;
        this.dispatcher = dispatcher;
        this.leadership = leadership;
        this.properties = properties;
        this.jdbc = jdbc;
        this.recovered = Counter.builder("dukan.reconciler.events.recovered")
                .description("Outbox events the stream never brought, written into the ledger by the reconciler")
                .register(meters);
    }

    /** Before the inbox reads anything: from here on the outbox keeps what the notifier has not checked. */
    @Override
    public void afterSingletonsInstantiated() {
        consumers.register(CONSUMER);
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

    /** One round with the configured grace; returns how many events the ledger lacked. */
    int reconcile() {
        return reconcile(properties.grace());
    }

    /** Registers everything the ledger lacks up to now, ignoring the grace period. */
    int reconcileNow() {
        return reconcile(Duration.ZERO);
    }

    /**
     * For a stream known to have missed events (a replication slot recreated): the name main's
     * callers use for {@link #reconcileNow()}. No clock is needed: the round ignores the grace and
     * its watermark never passes a running transaction.
     */
    int reconcileUpToNow() {
        return reconcileNow();
    }

    /**
     * Checks every order event written by a transaction at or above the watermark: one past its
     * grace that the ledger lacks is registered; one inside its grace holds the watermark back.
     * The new watermark is the lowest transaction still running when the round began (everything
     * below it was visible to the round's reads), or the lowest event still waiting, if lower.
     */
    private int reconcile(Duration grace) {
        long from = checkedBelow();
        long below = outbox.finishedBelow();
        int missing = 0;
        Outbox.Written last = null;
        List<Outbox.Written> page;
        do {
            page = outbox.writtenByTransactionsFrom(OrderPlaced.TYPE, from, last, grace, PAGE);
            Set<UUID> ledgered = new HashSet<>(ledger.known(page.stream().map(Outbox.Written::id).toList()));
            List<UUID> due = page.stream()
                    .filter(w -> w.pastGrace() && !ledgered.contains(w.id()) && namesAnOrder(w.aggregateId()))
                    .map(Outbox.Written::id)
                    .toList();
            // Only what the ledger lacks is read whole (an event purged meanwhile is simply absent).
            missing += ledger.register(outbox.events(due));
            for (Outbox.Written written : page) {
                if (!written.pastGrace() && !ledgered.contains(written.id())) {
                    below = Math.min(below, written.transaction());
                }
            }
            if (!page.isEmpty()) {
                last = page.get(page.size() - 1);
            }
        }
        while (page.size() == PAGE);
        missing += recheckPoison();
        advanceTo(below);
        if (missing > 0) {
            recovered.increment(missing);
            dispatcher.wakeUp();
        }
        return missing;
    }

    /**
     * Poison entries that named an event id are looked for in the outbox again, for as long as it
     * keeps events: one that names an event the outbox has now gets that event registered, from
     * the outbox row.
     */
    private int recheckPoison() {
        List<UUID> named = ledger.unresolvedPoison(databaseNow().minus(consumers.retention()), PAGE);
        if (named.isEmpty()) {
            return 0;
        }
        List<OutboxEvent> found = outbox.events(named).stream()
                .filter(event -> OrderPlaced.TYPE.equals(event.type()) && namesAnOrder(event.aggregateId())).toList();
        int registered = ledger.register(found);
        ledger.resolvePoison(ledger.known(named));
        if (registered > 0) {
            log.warn("{} poison stream entries named order events the outbox has now; registered from the outbox",
                    registered);
        }
        return registered;
    }

    /** Every transaction below this had finished and its order events were checked against the ledger. */
    long checkedBelow() {
        return jdbc.sql("SELECT checked_below_txid FROM reconciler_watermark WHERE id = 1").query(Long.class).single();
    }

    /**
     * Plain assignment: each round's value is true on its own, and a lower one only means looking again.
     * Reported to the outbox after it is stored, so the outbox never lets go of a row the next round
     * would start below.
     */
    private void advanceTo(long below) {
        jdbc.sql("UPDATE reconciler_watermark SET checked_below_txid = :below WHERE id = 1")
                .param("below", below)
                .update();
        consumers.checkedBelow(CONSUMER, below);
    }

    private Instant databaseNow() {
        return jdbc.sql("SELECT now()").query(java.sql.Timestamp.class).single().toInstant();
    }

    private static boolean namesAnOrder(String aggregateId) {
        try {
            UUID.fromString(aggregateId);
            return true;
        }
        catch (IllegalArgumentException e) {
            return false;
        }
    }

    Duration interval() {
        return properties.interval();
    }

    Duration grace() {
        return properties.grace();
    }
}
