package com.onlinedukan.notification;

/** Why the inbox refused a stream entry; the {@code reason} tag of {@code dukan_stream_poison_entries_total}. */
enum PoisonReason {
    /** No event id could be read from its fields. */
    UNREADABLE,
    /** It named an event id the outbox did not have (yet): looked for again while the outbox keeps events. */
    UNKNOWN_EVENT,
    /** It named an OrderPlaced event that names no order. */
    NOT_AN_ORDER;

    String tag() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
