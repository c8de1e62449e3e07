package com.onlinedukan.telegram;

import java.time.Instant;

/**
 * The Telegram client as SREs see it.
 *
 * @param dryRun no bot token: messages go to the log
 * @param chatId the chat messages go to now (after a migration, the new one)
 * @param circuit the breaker over the Bot API: {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
 * @param pausedUntil a {@code retry_after} pause in force, or null
 */
public record TelegramStatus(boolean dryRun, String chatId, String circuit, Instant pausedUntil) {
}
