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
 * Keeps the notifier's own tables bounded, on the relay leader. Outbox events are the outbox's to
 * delete (once the reconciler reported them checked); a delivered ledger row goes only once its
 * outbox event is gone (so no snapshot or reconciliation can bring it back and send it twice): it was
 * delivered before the oldest event the outbox still holds was written. Dead letters stay until an
 * SRE replays them.
 */
@Component
class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    private static final int BATCH = 1000;

    private final Outbox outbox;
    private final DeliveryLedger ledger;
    private final Leadership leadership;
    private final NotificationProperties.Retention retention;
    private final Clock clock;

    Retention(Outbox outbox, DeliveryLedger ledger, Leadership leadership, NotificationProperties properties,
            Clock clock) {
        this.outbox = outbox;
        this.ledger = ledger;
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
        Instant ledgerHorizon = clock.instant().minus(retention.ledger());
        Instant oldestEvent = outbox.oldestWritten();
        Instant before = oldestEvent != null && oldestEvent.isBefore(ledgerHorizon) ? oldestEvent : ledgerHorizon;
        int notifications = 0;
        List<UUID> done;
        do {
            done = ledger.deliveredBefore(before, BATCH);
            notifications += ledger.purge(done);
        }
        while (done.size() == BATCH);

        int poison = ledger.purgePoison(clock.instant().minus(retention.poison()));
        if (notifications + poison > 0) {
            log.info("Purged {} delivered notifications and {} poison entries past their retention",
                    notifications, poison);
        }
    }
}
