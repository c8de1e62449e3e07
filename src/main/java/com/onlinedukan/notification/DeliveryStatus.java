package com.onlinedukan.notification;

/** Where a notification is in its life: PENDING → RETRYING → DELIVERED | DEAD. */
@org.springframework.modulith.NamedInterface({ "reads", "commands" })
public enum DeliveryStatus {
    /** Known to the ledger, not attempted yet (or replayed). */
    PENDING,
    /** At least one attempt failed transiently; the next one is scheduled. */
    RETRYING,
    /** Telegram accepted the message. */
    DELIVERED,
    /** Given up: a permanent error, or attempts exhausted. Kept with its history for replay. */
    DEAD
}
