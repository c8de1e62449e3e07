package com.onlinedukan.outbox;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The outbox's retention under the name the contract gave it when the reconciler purged the outbox
 * ({@code dukan.reconciler.outbox-retention}), so a running deployment's configuration keeps working.
 *
 * @param outboxRetention how long events stay in the outbox; after it, an event goes once every
 *     registered consumer has accounted for it
 */
@Validated
@ConfigurationProperties("dukan.reconciler")
record OutboxRetentionProperties(@DefaultValue("7d") @NotNull @DurationMin(millis = 1) Duration outboxRetention) {
}
