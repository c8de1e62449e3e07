package com.onlinedukan.relay;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code dukan.relay.*}: the outbox relay.
 *
 * @param enabled whether this instance runs the embedded relay; {@code false} on every instance when
 *     Debezium Server publishes the outbox to the stream instead (the instances still elect a lease
 *     holder, which runs the reconciler and the purges)
 * @param slotName the logical replication slot; kept across restarts (never dropped on stop). Unset:
 *     {@code dukan_outbox_<database>}, because slot names are global to the PostgreSQL cluster (or
 *     {@code dukan_outbox}, the old default, when a slot of that name exists for this database)
 * @param publicationName the PostgreSQL publication, created by Debezium for the outbox and heartbeat
 *     tables. Unset: the slot's name
 * @param stream the Redis Stream key events are published to
 * @param streamMaxLength approximate cap on the stream's length (older entries are trimmed)
 * @param offsetFlushInterval how often the engine commits offsets (and so confirms the slot's LSN);
 *     after a crash at most this much is published again, and the ledger drops the repeats
 * @param heartbeatInterval how often Debezium writes its heartbeat, keeping the slot's LSN moving
 *     while the outbox is idle
 * @param pollInterval the longest a fresh event waits in the engine's queue: Debezium hands a batch over
 *     when it is full (512) or when this has passed. Each poll costs CPU even when idle (measured: about
 *     60 ms of CPU per second idle at 50 ms, 150 at 10 ms, 240 at 5 ms)
 * @param leadershipCheckInterval how often the leader renews its lease and a standby tries to take it
 * @param leaderLease how long a lease lasts without renewal: a leader that could not renew stops its
 *     relay before it runs out, and a standby takes over at most this plus one check interval after
 *     the leader was cut off (at once when the leader's database session is seen to end)
 * @param retainedWalWarning retained WAL above which the {@code replicationSlot} health turns WARNING
 * @param trimInterval how often an instance with a subscriber trims the stream to the oldest entry a
 *     consumer group has not acknowledged (and refreshes the stream's length and pending gauges)
 * @param restartPause how long a failed engine stays down before the relay starts it again from its
 *     durable offset (checked every {@code leadershipCheckInterval})
 */
@Validated
@ConfigurationProperties("dukan.relay")
record RelayProperties(
        @DefaultValue("true") boolean enabled,
        @Pattern(regexp = "[a-z0-9_]{1,63}") String slotName,
        @Pattern(regexp = "[a-z0-9_]{1,63}") String publicationName,
        @DefaultValue("dukan:outbox") @NotBlank String stream,
        @DefaultValue("1000000") @Min(1000) long streamMaxLength,
        @DefaultValue("1s") @NotNull @DurationMin(millis = 1) Duration offsetFlushInterval,
        @DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration heartbeatInterval,
        @DefaultValue("10ms") @NotNull @DurationMin(millis = 1) Duration pollInterval,
        @DefaultValue("2s") @NotNull @DurationMin(millis = 1) Duration leadershipCheckInterval,
        @DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration leaderLease,
        @DefaultValue("1GB") @NotNull DataSize retainedWalWarning,
        @DefaultValue("1s") @NotNull @DurationMin(millis = 1) Duration trimInterval,
        @DefaultValue("5s") @NotNull @DurationMin(millis = 1) Duration restartPause) {

    @AssertTrue(message = "dukan.relay.retained-wal-warning must be positive")
    boolean isRetainedWalWarningPositive() {
        return retainedWalWarning == null || retainedWalWarning.toBytes() > 0;
    }

    // Two renewals fit in a lease, so one slow or lost renewal does not cost the leadership.
    @AssertTrue(message = "dukan.relay.leader-lease must be at least twice dukan.relay.leadership-check-interval")
    boolean isLeaderLeaseLongerThanTwoChecks() {
        return leaderLease == null || leadershipCheckInterval == null
                || leaderLease.compareTo(leadershipCheckInterval.multipliedBy(2)) >= 0;
    }
}
