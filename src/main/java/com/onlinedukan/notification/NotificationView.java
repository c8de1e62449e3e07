package com.onlinedukan.notification;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One notification in the ledger, for SREs; {@code attempts} history only when asked for one. */
public record NotificationView(UUID eventId, UUID orderId, DeliveryStatus status, int attempts, String lastError,
        Instant nextAttemptAt, Instant createdAt, Instant deliveredAt, List<Attempt> history) {

    /** One try, or an SRE's replay. */
    public record Attempt(Instant at, AttemptOutcome outcome, String error) {
    }
}
