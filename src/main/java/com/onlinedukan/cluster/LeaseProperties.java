package com.onlinedukan.cluster;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The lease's part of {@code dukan.relay.*}, bound here and nowhere else: the names stay where the
 * README documents them, so a running deployment's configuration keeps working; the relay reads
 * them through {@link Leadership}.
 *
 * @param leaderLease how long a lease lasts without renewal (at least a second): a leader that could not renew stops
 *     leading before it runs out, and a standby takes over at most this plus one check interval after
 *     the leader was cut off (at once when the leader's database session is seen to end)
 * @param leadershipCheckInterval how often the leader renews its lease and a standby tries to take it
 */
@Validated
@ConfigurationProperties("dukan.relay")
record LeaseProperties(
        // A renewal may take a third of the lease before it is abandoned: under a second, a busy
        // database would cost the leadership again and again.
        @DefaultValue("10s") @NotNull @DurationMin(seconds = 1) Duration leaderLease,
        @DefaultValue("2s") @NotNull @DurationMin(millis = 1) Duration leadershipCheckInterval) {

    // Two renewals fit in a lease, so one slow renewal (up to a third of the lease) does not cost the
    // leadership; a failed one does, as its session is closed.
    @AssertTrue(message = "dukan.relay.leader-lease must be at least twice dukan.relay.leadership-check-interval")
    boolean isLeaderLeaseLongerThanTwoChecks() {
        return leaderLease == null || leadershipCheckInterval == null
                || leaderLease.compareTo(leadershipCheckInterval.multipliedBy(2)) >= 0;
    }
}
