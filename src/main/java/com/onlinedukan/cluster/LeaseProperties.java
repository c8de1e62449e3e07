package com.onlinedukan.cluster;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The lease's part of {@code dukan.relay.*}: the name stays where the contract put it, so a running
 * deployment's configuration keeps working (its check against the check interval is in the relay's
 * properties, which schedule the checks).
 *
 * @param leaderLease how long a lease lasts without renewal: a leader that could not renew stops
 *     leading before it runs out, and a standby takes over at most this plus one check interval after
 *     the leader was cut off (at once when the leader's database session is seen to end)
 */
@Validated
@ConfigurationProperties("dukan.relay")
record LeaseProperties(@DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration leaderLease) {
}
