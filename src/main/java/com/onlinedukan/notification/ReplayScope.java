package com.onlinedukan.notification;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** Which notifications an SRE asks to send again. Only the ledger turns a scope into SQL. */
@org.springframework.modulith.NamedInterface("commands")
public sealed interface ReplayScope {

    /** One notification, by its event id. */
    @org.springframework.modulith.NamedInterface("commands")
    record Event(UUID eventId) implements ReplayScope {

        public Event {
            Objects.requireNonNull(eventId, "eventId");
        }
    }

    /** The notifications of one order. */
    @org.springframework.modulith.NamedInterface("commands")
    record Order(UUID orderId) implements ReplayScope {

        public Order {
            Objects.requireNonNull(orderId, "orderId");
        }
    }

    /** Every notification in a status created in {@code [from, to)}; either bound may be open (null). */
    @org.springframework.modulith.NamedInterface("commands")
    record Matching(DeliveryStatus status, Instant from, Instant to) implements ReplayScope {

        public Matching {
            Objects.requireNonNull(status, "status");
        }
    }
}
