package com.onlinedukan.acknowledgement;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code dukan.notification.*} about taking orders: how long an order may wait, where the ones
 * nobody took go, and how updates are read.
 *
 * @param acknowledgeWithin how long an order may wait for a member of staff to take it before a
 *     reminder in the staff chat; a second period later it is escalated
 * @param escalationChatId where orders nobody took are escalated; unset: reminders only
 * @param updatesPollWait how long one {@code getUpdates} long poll waits for a press (at most 50s)
 * @param acknowledgementRetention how long an order's acknowledgement is kept after its message
 *     (only once nothing is left to do for it and the notification ledger no longer holds it)
 */
@Validated
@ConfigurationProperties("dukan.notification")
record AcknowledgementProperties(
        @DefaultValue("10m") @NotNull @DurationMin(seconds = 1) Duration acknowledgeWithin,
        String escalationChatId,
        @DefaultValue("25s") @NotNull @DurationMin(seconds = 0) Duration updatesPollWait,
        @DefaultValue("30d") @NotNull @DurationMin(millis = 1) Duration acknowledgementRetention) {

    @AssertTrue(message = "dukan.notification.updates-poll-wait must be at most 50s")
    boolean isPollWaitBounded() {
        return updatesPollWait == null || updatesPollWait.compareTo(Duration.ofSeconds(50)) <= 0;
    }

    boolean escalates() {
        return escalationChatId != null && !escalationChatId.isBlank();
    }
}
