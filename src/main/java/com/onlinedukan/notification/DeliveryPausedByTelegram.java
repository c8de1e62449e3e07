package com.onlinedukan.notification;

import java.time.Instant;

import org.springframework.modulith.NamedInterface;

/** Delivery paused itself because Telegram refused the bot or the chat; {@code reason} is Telegram's answer. */
@NamedInterface("events")
public record DeliveryPausedByTelegram(Instant at, String reason) {
}
