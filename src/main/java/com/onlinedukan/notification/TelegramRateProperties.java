package com.onlinedukan.notification;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code dukan.telegram.rate.*}: client-side send limits, so a burst drains at the rate Telegram
 * allows instead of collecting 429s.
 *
 * @param globalPerSecond sends per second for the whole bot
 * @param perChatPerMinute sends per minute to one chat
 * @param perChatPerSecond sends per second to one chat (Telegram's own guidance is about one)
 */
@Validated
@ConfigurationProperties("dukan.telegram.rate")
record TelegramRateProperties(
        @DefaultValue("30") @Min(1) int globalPerSecond,
        @DefaultValue("20") @Min(1) int perChatPerMinute,
        @DefaultValue("1") @Min(1) int perChatPerSecond) {
}
