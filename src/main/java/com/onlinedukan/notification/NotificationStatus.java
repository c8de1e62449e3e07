package com.onlinedukan.notification;

import java.time.Instant;

/**
 * The state of one order's staff notification, as customers see it (error texts are for SREs only).
 *
 * @param acknowledgedAt when a member of staff took the order in Telegram; null until then
 */
public record NotificationStatus(DeliveryStatus status, int attempts, Instant deliveredAt, Instant acknowledgedAt) {

    /** An order whose event has not reached the notifier yet, or was just placed. */
    public static final NotificationStatus NOT_YET_SEEN = new NotificationStatus(DeliveryStatus.PENDING, 0, null, null);

    NotificationStatus takenAt(Instant at) {
        return at == null ? this : new NotificationStatus(status, attempts, deliveredAt, at);
    }
}
