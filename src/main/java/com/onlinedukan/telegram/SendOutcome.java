package com.onlinedukan.telegram;

import java.time.Duration;

/** What became of one send. The caller decides what happens to the notifications it carried. */
public sealed interface SendOutcome {

    /** Telegram accepted the message. */
    record Delivered(long messageId) implements SendOutcome {
    }

    /** Nothing reached Telegram: a budget is spent, a {@code retry_after} pause holds, or the circuit is open. */
    record NotSent(Duration retryIn, String reason) implements SendOutcome {
    }

    /** Telegram answered 429: no send to the chat before {@code delay} (recorded for every instance). */
    record RetryAfter(Duration delay, String error) implements SendOutcome {
    }

    /**
     * A failure that may pass: 5xx, a timeout, a connection error. {@code widespread} when the
     * circuit is open after it: Telegram is failing for everyone, not for this message.
     */
    record Transient(String error, boolean widespread) implements SendOutcome {
    }

    /**
     * Telegram refuses the bot or the chat itself: any 4xx (not a 429, not a migration) that is not
     * proven to be about the message (401, 403, chat not found, PEER_ID_INVALID, wordings nobody has
     * seen yet). No message can go until it is fixed.
     */
    record Refused(String error) implements SendOutcome {
    }

    /**
     * An error proven to be about this message alone (one of the known wordings: too long, empty,
     * entities that do not parse, a keyboard Telegram cannot take): repeating it cannot fix it.
     */
    record Permanent(String error) implements SendOutcome {
    }
}
