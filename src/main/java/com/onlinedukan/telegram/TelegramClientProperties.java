package com.onlinedukan.telegram;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code dukan.telegram.*}: how the service talks to the Bot API.
 *
 * @param timeout the HTTP client's connect, read, write and call timeout: the longest one call may take
 * @param rate client-side send budgets, shared by every instance
 * @param circuit the circuit breaker that stops calling Telegram while it fails for everyone
 * @param maxRetryAfter the longest wait a {@code 429}'s {@code retry_after} imposes: a longer one is
 *     waited this long, then asked again (Telegram answers with what is left). One answer holding a
 *     wait of years otherwise stopped every notification for as long, across restarts
 * @param dryRun {@code true}: notifications only go to the log, even with a bot token. Unset: a dry
 *     run only for the embedded default; with a datasource configured and no
 *     {@code TELEGRAM_BOT_TOKEN} the start fails naming it. {@code false}: a missing token always
 *     stops the start
 */
@Validated
@ConfigurationProperties("dukan.telegram")
record TelegramClientProperties(
        @DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration timeout,
        @Valid @DefaultValue Rate rate,
        @Valid @DefaultValue Circuit circuit,
        Boolean dryRun,
        @DefaultValue("15m") @NotNull @DurationMin(seconds = 1) Duration maxRetryAfter) {

    /**
     * {@code dukan.telegram.rate.*}: so a burst drains at the rate Telegram allows instead of
     * collecting 429s. No window of the period ever holds more than the limit.
     *
     * @param globalPerSecond sends per second for the whole bot, across all instances
     * @param perChatPerMinute sends per minute to one chat
     * @param perChatPerSecond sends per second to one chat (Telegram's own guidance is about one)
     */
    record Rate(
            @DefaultValue("30") @Min(1) int globalPerSecond,
            @DefaultValue("20") @Min(1) int perChatPerMinute,
            @DefaultValue("1") @Min(1) int perChatPerSecond) {
    }

    /**
     * {@code dukan.telegram.circuit.*}: only failures that may pass (5xx, timeouts, connection
     * errors) count; a 4xx is Telegram answering.
     *
     * @param failureRateThreshold the percentage of failed calls in the window that opens the circuit
     * @param minimumCalls calls in the window before the rate is judged at all
     * @param window how many of the latest calls are judged
     * @param openWait how long the circuit stays open before one probe call may go through
     */
    record Circuit(
            @DefaultValue("50") @Min(1) @Max(100) int failureRateThreshold,
            @DefaultValue("5") @Min(1) int minimumCalls,
            @DefaultValue("10") @Min(1) int window,
            @DefaultValue("5s") @NotNull @DurationMin(millis = 1) Duration openWait) {
    }
}
