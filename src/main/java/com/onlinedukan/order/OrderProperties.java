package com.onlinedukan.order;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code dukan.orders.*}: the customer-facing order API.
 *
 * @param idempotencyRetention how long an {@code Idempotency-Key} and its response are kept
 * @param maxBodySize the largest request body accepted ({@code 413} above it)
 * @param maxInFlight the most order requests served at once; more wait up to {@code admissionWait}
 * @param admissionWait how long a request may wait for room before it is answered {@code 503}
 * @param bodyDeadline how long a request's body may take to arrive, from the end of its headers;
 *     a slower one is answered {@code 408} and never takes a {@code max-in-flight} slot
 * @param warmUp the longest a starting instance sends itself orders that are rolled back, before it
 *     reports ready, so that its first real orders run compiled code (it stops sooner once the JIT
 *     has settled); {@code 0s} turns it off
 */
@Validated
@ConfigurationProperties("dukan.orders")
public record OrderProperties(
        @DefaultValue("24h") @NotNull @DurationMin(millis = 1) Duration idempotencyRetention,
        @DefaultValue("64KB") @NotNull DataSize maxBodySize,
        @DefaultValue("64") @Min(1) int maxInFlight,
        @DefaultValue("500ms") @NotNull Duration admissionWait,
        @DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration bodyDeadline,
        @DefaultValue("60s") @NotNull Duration warmUp) {

    @AssertTrue(message = "dukan.orders.warm-up must not be negative")
    boolean isWarmUpNotNegative() {
        return warmUp == null || !warmUp.isNegative();
    }

    @AssertTrue(message = "dukan.orders.max-body-size must be positive")
    boolean isMaxBodySizePositive() {
        return maxBodySize == null || maxBodySize.toBytes() > 0;
    }
}
