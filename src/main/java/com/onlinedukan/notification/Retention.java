package com.onlinedukan.notification;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.onlinedukan.outbox.Outbox;
import com.onlinedukan.cluster.Leadership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the tables bounded, on the relay leader. The order matters: outbox events go only once
 * the reconciler has checked them (so nothing unregistered is lost), and delivered ledger rows
 * only once their outbox events are gone (so no snapshot or reconciliation can bring them back
 * and send them twice). Dead letters stay until an SRE replays them.
 */
@Component
class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    private static final int BATCH = 1000;

    private final Outbox outbox;
    private final DeliveryLedger ledger;
    private final Reconciler reconciler;
    private final Leadership leadership;
    private final NotificationProperties.Retention retention;
    private final Clock clock;

    Retention(Outbox outbox, DeliveryLedger ledger, Reconciler reconciler, Leadership leadership,
            NotificationProperties properties, Clock clock) {
        this.outbox = outbox;
        this.ledger = ledger;
        this.reconciler = reconciler;
        this.leadership = leadership;
        this.retention = properties.retention();
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${dukan.notification.retention.interval:1m}", initialDelayString = "5s")
    void purgeOnLeader() {
        if (!leadership.isLeader()) {
            return;
        }
        try {
            purge();
        }
        catch (RuntimeException e) {
            log.warn("Purging old notifications failed: {}", e.getMessage());
        }
    }

    void purge() {
        Reconciler.PurgeHorizon horizon = reconciler.outboxPurgeHorizon();
        Instant outboxHorizon = horizon.before();
        int events = 0;
        int batch;
        do {
            batch = outbox.purgeWrittenBefore(outboxHorizon, horizon.belowTransaction(), BATCH);
            events += batch;
        }
        while (batch == BATCH);

        Instant ledgerHorizon = clock.instant().minus(retention.ledger());
        Instant before = ledgerHorizon.isBefore(outboxHorizon) ? ledgerHorizon : outboxHorizon;
        int notifications = 0;
        List<UUID> done;
        do {
            done = ledger.deliveredBefore(before, BATCH);
            notifications += ledger.purge(done);
        }
        while (done.size() == BATCH);

        int poison = ledger.purgePoison(clock.instant().minus(retention.poison()));
        if (events + notifications + poison > 0) {
            log.info("Purged {} outbox events, {} delivered notifications and {} poison entries past their retention",
                    events, notifications, poison);
        }
    }
}
