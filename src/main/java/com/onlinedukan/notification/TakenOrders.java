package com.onlinedukan.notification;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Who took which order, from downstream (the acknowledgement module), so the notification's
 * views can show it without this module knowing how it is recorded.
 */
public interface TakenOrders {

    /** The notifications among these that were taken, by event id. */
    Map<UUID, Taken> byEvent(Collection<UUID> eventIds);

    /** When the order's notification was taken; empty until it is. */
    Optional<Instant> takenAt(UUID orderId);

    /** One acknowledgement: when, and the Telegram user who pressed. */
    record Taken(Instant at, StaffMember by) {
    }

    /** A Telegram user, by name and id. */
    record StaffMember(String name, long id) {
    }
}
