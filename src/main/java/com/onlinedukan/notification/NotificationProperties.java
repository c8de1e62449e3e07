package com.onlinedukan.notification;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code dukan.notification.*}: delivery to Telegram.
 *
 * @param retry when failed sends are tried again
 * @param consumerGroup the Redis Stream consumer group every instance joins
 * @param lease how long an instance holds a notification while sending it; longer than the
 *     Telegram client's timeouts, so a live sender never loses its lease
 * @param retryPollInterval how often the ledger is checked for retries that are due
 * @param claimIdle how long a stream entry may sit unacknowledged with a consumer before another
 *     instance claims it (XAUTOCLAIM): the consumer is presumed dead
 * @param consumerExpiry how long another instance's consumer may stay idle, with nothing pending,
 *     before it is removed from the group (instances that died or were replaced leave their names)
 */
@Validated
@ConfigurationProperties("dukan.notification")
record NotificationProperties(
        @Valid @DefaultValue Retry retry,
        @DefaultValue("dukan-notifier") @NotBlank String consumerGroup,
        @DefaultValue("60s") @NotNull Duration lease,
        @DefaultValue("250ms") @NotNull Duration retryPollInterval,
        @DefaultValue("60s") @NotNull Duration claimIdle,
        @DefaultValue("1h") @NotNull Duration consumerExpiry) {

    /**
     * @param initialBackoff the first retry's delay
     * @param maxBackoff the cap of the exponential backoff
     * @param maxAttempts attempts before the notification is dead-lettered
     */
    record Retry(
            @DefaultValue("1s") @NotNull Duration initialBackoff,
            @DefaultValue("10m") @NotNull Duration maxBackoff,
            @DefaultValue("10") @Min(1) int maxAttempts) {
    }
}
