package com.onlinedukan.notification;

import java.time.Instant;

/** The state of one order's staff notification, as customers and SREs see it. */
public record NotificationStatus(DeliveryStatus status, int attempts, String lastError, Instant deliveredAt) {

    /** An order whose event has not reached the notifier yet. */
    static final NotificationStatus NOT_YET_SEEN = new NotificationStatus(DeliveryStatus.PENDING, 0, null, null);
}
