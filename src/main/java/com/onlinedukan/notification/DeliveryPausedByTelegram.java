package com.onlinedukan.notification;

import java.time.Instant;

/** Delivery paused itself because Telegram refused the bot or the chat; {@code reason} is Telegram's answer. */
public record DeliveryPausedByTelegram(Instant at, String reason) {
}
