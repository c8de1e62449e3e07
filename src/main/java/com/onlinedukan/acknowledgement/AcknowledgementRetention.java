package com.onlinedukan.acknowledgement;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.onlinedukan.cluster.Leadership;
import com.onlinedukan.notification.Notifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code order_acknowledgement} bounded, on the relay leader. A row goes only when all of
 * this holds: its message went out longer than {@code acknowledgement-retention} ago; nothing is
 * left to do for it (no reminder or escalation step can still come, no edit is owed); and the
 * notification ledger no longer holds its notification. The last one matters: while the ledger
 * holds it, a press would be taken as one that came before the delivery was recorded and would
 * write the row again. A press on a purged order's button is answered "no longer known" and
 * changes nothing. Rows the ledger still holds are stepped over, oldest first, at most
 * {@code MAX_PER_RUN} a run, so a ledger kept longer than this retention costs a bounded look.
 */
@Component
class AcknowledgementRetention {

    private static final Logger log = LoggerFactory.getLogger(AcknowledgementRetention.class);
    private static final int BATCH = 1000;
    private static final int MAX_PER_RUN = 20 * BATCH;

    private final AcknowledgementLedger ledger;
    private final Notifications notifications;
    private final Leadership leadership;
    private final Duration retention;
    private final Clock clock;

    AcknowledgementRetention(AcknowledgementLedger ledger, Notifications notifications, Leadership leadership,
            AcknowledgementProperties properties, Clock clock) {
        this.ledger = ledger;
        this.notifications = notifications;
        this.leadership = leadership;
        this.retention = properties.acknowledgementRetention();
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${dukan.notification.retention.interval:1m}", initialDelayString = "7s")
    void purgeOnLeader() {
        if (!leadership.isLeader()) {
            return;
        }
        try {
            int purged = purge();
            if (purged > 0) {
                log.info("Purged {} order acknowledgements past their retention ({})", purged, retention);
            }
        }
        catch (RuntimeException e) {
            log.warn("Purging old order acknowledgements failed: {}", e.getMessage());
        }
    }

    /** One run; how many rows it deleted. */
    int purge() {
        Instant before = clock.instant().minus(retention);
        AcknowledgementLedger.Settled after = AcknowledgementLedger.Settled.START;
        int purged = 0;
        for (int seen = 0; seen < MAX_PER_RUN; seen += BATCH) {
            List<AcknowledgementLedger.Settled> settled = ledger.settledBefore(before, after, BATCH);
            if (settled.isEmpty()) {
                break;
            }
            List<UUID> ids = settled.stream().map(AcknowledgementLedger.Settled::eventId).toList();
            Set<UUID> stillPressable = notifications.ledgeredAmong(ids);
            purged += ledger.purgeSettled(ids.stream().filter(id -> !stillPressable.contains(id)).toList(), before);
            if (settled.size() < BATCH) {
                break;
            }
            after = settled.get(settled.size() - 1);
        }
        return purged;
    }
}
