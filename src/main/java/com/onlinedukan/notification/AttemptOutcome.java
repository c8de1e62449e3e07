package com.onlinedukan.notification;

import java.util.Locale;

/** What one entry of a notification's history says happened. */
@org.springframework.modulith.NamedInterface("reads")
public enum AttemptOutcome {
    /** Telegram accepted the message. */
    DELIVERED(true),
    /** A failure of this notification's own send (5xx, timeout) while Telegram answers others: charged. */
    TRANSIENT(true),
    /** Telegram failed for everyone (the circuit opened): not charged. */
    OUTAGE(false),
    /** Telegram answered 429 with {@code retry_after}: not charged. */
    RATE_LIMITED(false),
    /** Telegram refused the bot or the chat (401, 403, chat not found): delivery paused, not charged. */
    REFUSED(false),
    /** Telegram rejected this message itself (too long, bad entities): dead. */
    PERMANENT(true),
    /** The event's payload cannot be rendered: dead. */
    UNREADABLE(true),
    /** An SRE asked for it to be sent again. */
    REPLAYED(false),
    /** The chat became a supergroup (history written before the client followed migrations itself). */
    CHAT_MIGRATED(false);

    private final boolean charged;

    AttemptOutcome(boolean charged) {
        this.charged = charged;
    }

    /** Whether this outcome spends one of the notification's attempts. */
    boolean charged() {
        return charged;
    }

    /** The {@code outcome} tag of {@code dukan_notifications_attempts_total}. */
    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
