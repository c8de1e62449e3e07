package com.onlinedukan.notification;

import java.util.UUID;

import org.springframework.stereotype.Service;

/** Answers how an order's staff notification is doing. */
@Service
public class Notifications {

    private final DeliveryLedger ledger;

    Notifications(DeliveryLedger ledger) {
        this.ledger = ledger;
    }

    /** The notification of an order; PENDING with no attempts until its event reaches the ledger. */
    public NotificationStatus statusOf(UUID orderId) {
        return ledger.statusOfOrder(orderId).orElse(NotificationStatus.NOT_YET_SEEN);
    }
}
