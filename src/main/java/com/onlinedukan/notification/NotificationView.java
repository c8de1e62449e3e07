package com.onlinedukan.notification;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One notification in the ledger, for SREs; {@code attempts} history only when asked for one.
 *
 * @param traceId the trace of the order's POST, which every send of the notification joins (search
 *        the tracing backend or the logs for it); null for an event written outside a trace
 * @param acknowledgedAt when a member of staff took the order in Telegram; null until then
 * @param acknowledgedBy who took it (the Telegram user's name and id); null until then
 */
@org.springframework.modulith.NamedInterface("reads")
public record NotificationView(UUID eventId, UUID orderId, DeliveryStatus status, int attempts, String lastError,
        Instant nextAttemptAt, Instant createdAt, Instant deliveredAt, String traceId, Instant acknowledgedAt,
        TakenOrders.StaffMember acknowledgedBy, List<Attempt> history) {

    /** This view with who took the order, if anyone did. */
    NotificationView taken(TakenOrders.Taken taken) {
        return taken == null ? this : new NotificationView(eventId, orderId, status, attempts, lastError, nextAttemptAt,
                createdAt, deliveredAt, traceId, taken.at(), taken.by(), history);
    }

    /** One try, or an SRE's replay. */
    @org.springframework.modulith.NamedInterface("reads")
    public record Attempt(Instant at, AttemptOutcome outcome, String error) {
    }
}
