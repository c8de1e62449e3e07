package com.onlinedukan.notification;

import com.onlinedukan.relay.SlotRecreated;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * When the relay's slot was recreated, the events committed between the lost position and the new
 * one never reach the stream: they are written into the ledger from the outbox at once, not after
 * the reconciler's grace period. Runs where the relay announces it, on the relay leader.
 */
@Component
class SlotLossReconciliation {

    private static final Logger log = LoggerFactory.getLogger(SlotLossReconciliation.class);

    private final Reconciler reconciler;

    SlotLossReconciliation(Reconciler reconciler) {
        this.reconciler = reconciler;
    }

    @EventListener
    void on(SlotRecreated recreated) {
        try {
            int missing = reconciler.reconcileUpToNow();
            log.warn("Replication slot '{}' was recreated (stored offset at LSN {}, now streaming from LSN {}): "
                    + "{} order events the stream will never bring were written into the ledger from the outbox",
                    recreated.slot(), recreated.lostFrom(), recreated.newFrom(), missing);
        }
        catch (RuntimeException e) {
            log.error("Could not take the events missed by recreated slot '{}' from the outbox now ({}); the "
                    + "reconciler takes them after its grace period", recreated.slot(), e.getMessage());
        }
    }
}
