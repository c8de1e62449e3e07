package com.onlinedukan.acknowledgement;

import com.onlinedukan.notification.NotificationListener;

import org.springframework.stereotype.Component;

/** Every delivered order starts waiting to be taken, in the transaction that records it DELIVERED. */
@Component
class DeliveredOrders implements NotificationListener {

    private final AcknowledgementLedger ledger;
    private final AcknowledgementProperties properties;

    DeliveredOrders(AcknowledgementLedger ledger, AcknowledgementProperties properties) {
        this.ledger = ledger;
        this.properties = properties;
    }

    @Override
    public void delivered(DeliveredMessage message) {
        ledger.waiting(message, properties.acknowledgeWithin());
    }
}
