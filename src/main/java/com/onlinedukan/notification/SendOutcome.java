package com.onlinedukan.notification;

import java.time.Duration;

/** What Telegram made of one send. The caller decides what happens to the notification. */
sealed interface SendOutcome {

    /** Telegram accepted the message. */
    record Delivered(long messageId) implements SendOutcome {
    }

    /** Telegram asked us to wait (429 with {@code retry_after}); no earlier attempt may be made. */
    record RetryAfter(Duration delay, String error) implements SendOutcome {
    }

    /** A failure that may pass: 5xx, timeouts, connection errors. */
    record Transient(String error) implements SendOutcome {
    }

    /** A failure that repeating cannot fix: chat not found, bot blocked, message too long. */
    record Permanent(String error) implements SendOutcome {
    }

    /** The group became a supergroup; the same message goes to the new chat id. */
    record ChatMigrated(String newChatId, String error) implements SendOutcome {
    }
}
