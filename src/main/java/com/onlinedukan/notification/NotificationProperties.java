package com.onlinedukan.notification;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code dukan.notification.*}: delivery to Telegram.
 *
 * @param retry when failed sends are tried again, and when a notification is given up
 * @param retention how long finished notifications and unreadable stream entries are kept
 * @param consumerGroup the Redis Stream consumer group every instance joins
 * @param lease how long an instance holds claimed notifications while sending them; longer than
 *     the Telegram client's timeout ({@code dukan.telegram.timeout}), so a live sender keeps its claim
 * @param stopGrace how long a stopping instance waits for a send in flight; longer than the
 *     Telegram client's timeout, so shutdown never cuts a send short
 * @param retryPollInterval how often the ledger is checked for retries that are due
 * @param claimIdle how long a stream entry may sit unacknowledged with a consumer before another
 *     instance claims it (XAUTOCLAIM): the consumer is presumed dead
 * @param consumerExpiry how long another instance's consumer may stay idle, with nothing pending,
 *     before it is removed from the group (instances that died or were replaced leave their names)
 * @param refusalProbeInterval while Telegram refuses the bot or the chat, how often it is asked
 *     again ({@code getChat}) whether delivery can resume
 * @param maxPerMessage the most notifications one digest message carries
 * @param replayChunkSize how many notifications one transaction of a bulk replay puts back to PENDING
 * @param senders how many sends one instance has in flight at once, each with a claim of its own: a
 *     send waits on Telegram's answer and on the ledger's round trips, so one sender alone delivers
 *     at most one message per round trip (measured: about 740 orders/s under an 8-client burst on 2
 *     cores, against 2,100/s accepted). The shared budgets bound what all of them send together
 */
@Validated
@ConfigurationProperties("dukan.notification")
record NotificationProperties(
        @Valid @DefaultValue Retry retry,
        @Valid @DefaultValue Retention retention,
        @DefaultValue("dukan-notifier") @NotBlank String consumerGroup,
        @DefaultValue("60s") @NotNull @DurationMin(millis = 1) Duration lease,
        @DefaultValue("15s") @NotNull @DurationMin(millis = 1) Duration stopGrace,
        @DefaultValue("250ms") @NotNull @DurationMin(millis = 1) Duration retryPollInterval,
        @DefaultValue("60s") @NotNull @DurationMin(millis = 1) Duration claimIdle,
        @DefaultValue("1h") @NotNull @DurationMin(millis = 1) Duration consumerExpiry,
        @DefaultValue("1m") @NotNull @DurationMin(millis = 1) Duration refusalProbeInterval,
        @DefaultValue("50") @Min(1) @Max(200) int maxPerMessage,
        @DefaultValue("500") @Min(1) @Max(10_000) int replayChunkSize,
        @DefaultValue("4") @Min(1) @Max(32) int senders) {

    @AssertTrue(message = "dukan.notification.lease must be longer than dukan.notification.stop-grace")
    boolean isLeaseLongerThanStopGrace() {
        return lease == null || stopGrace == null || lease.compareTo(stopGrace) > 0;
    }

    /**
     * @param initialBackoff the first retry's delay
     * @param maxBackoff the cap of the exponential backoff
     * @param maxAttempts a notification's own failed attempts before it may be dead-lettered
     *     (attempts while Telegram fails for everyone, 429s and refusals of the chat do not count)
     * @param giveUpAfter how long a notification keeps retrying its own transient failures before
     *     it may be dead-lettered; both limits must be reached
     */
    record Retry(
            @DefaultValue("1s") @NotNull @DurationMin(millis = 1) Duration initialBackoff,
            @DefaultValue("10m") @NotNull @DurationMin(millis = 1) Duration maxBackoff,
            @DefaultValue("10") @Min(1) int maxAttempts,
            @DefaultValue("24h") @NotNull @DurationMin(millis = 1) Duration giveUpAfter) {

        @AssertTrue(message = "dukan.notification.retry.max-backoff must not be shorter than "
                + "dukan.notification.retry.initial-backoff")
        boolean isMaxBackoffAtLeastInitial() {
            return initialBackoff == null || maxBackoff == null || maxBackoff.compareTo(initialBackoff) >= 0;
        }
    }

    /**
     * @param ledger how long a delivered notification and its history stay in the ledger (purged
     *     only once its outbox event is gone, so nothing can bring it back)
     * @param poison how long unreadable stream entries are kept
     * @param interval how often the purge runs (on the relay leader)
     */
    record Retention(
            @DefaultValue("30d") @NotNull @DurationMin(millis = 1) Duration ledger,
            @DefaultValue("30d") @NotNull @DurationMin(millis = 1) Duration poison,
            @DefaultValue("1m") @NotNull @DurationMin(millis = 1) Duration interval) {
    }
}
