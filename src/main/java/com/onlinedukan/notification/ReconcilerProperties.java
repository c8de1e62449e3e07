package com.onlinedukan.notification;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code dukan.reconciler.*}: the safety net behind the relay and Redis.
 *
 * @param grace how old an outbox event must be before the reconciler writes it into the ledger
 *     itself, if the stream has not brought it
 * @param interval how often the reconciler looks
 * <p>{@code dukan.reconciler.outbox-retention} is the outbox's own (it deletes only events every
 * consumer, the reconciler included, has accounted for); a poison entry naming an event id is looked
 * up in the outbox again for that long.
 */
@Validated
@ConfigurationProperties("dukan.reconciler")
record ReconcilerProperties(
        @DefaultValue("2m") @NotNull @DurationMin(millis = 1) Duration grace,
        @DefaultValue("30s") @NotNull @DurationMin(millis = 1) Duration interval) {
}
