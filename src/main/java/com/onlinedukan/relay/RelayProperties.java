package com.onlinedukan.relay;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The relay's part of {@code dukan.relay.*}: the engine, its slot and publication. The stream's names
 * under the same prefix ({@code stream}, {@code stream-max-length}, {@code trim-interval}) are bound by
 * the stream module, the lease's ({@code leader-lease}, {@code leadership-check-interval}) by the
 * cluster module: each name is defined once, by the module whose concept it is, and stays where the
 * README documents it.
 *
 * @param enabled whether this instance runs the embedded relay; {@code false} on every instance when
 *     Debezium Server publishes the outbox to the stream instead (the instances still elect a lease
 *     holder, which runs the reconciler and the purges)
 * @param slotName the logical replication slot; kept across restarts (never dropped on stop). Unset:
 *     {@code dukan_outbox_<database>}, because slot names are global to the PostgreSQL cluster (or
 *     {@code dukan_outbox}, the old default, when a slot of that name exists for this database)
 * @param publicationName the PostgreSQL publication of the outbox and heartbeat tables
 *     ({@link ReplicationSlots#preparePublication}). Unset: the slot's name
 * @param offsetFlushInterval how often the engine commits offsets (and so confirms the slot's LSN);
 *     after a crash at most this much is published again, and the ledger drops the repeats
 * @param heartbeatInterval how often Debezium writes its heartbeat, keeping the slot's LSN moving
 *     while the outbox is idle
 * @param pollInterval the longest a fresh event waits in the engine's queue (Debezium hands a batch over
 *     when it is full, 512, or when this has passed), and how long the engine's reader sleeps when the
 *     replication stream has nothing: a fresh event waits about this long in all. Debezium's own queue
 *     spins through the last millisecond of every poll, the relay's ({@link RelayQueue}) does not, so a
 *     short interval no longer costs CPU while idle (idle service, ms of CPU a second, Debezium's queue
 *     against the relay's: 195 and 63 at 5 ms, 219 and 112 at 10 ms, 124 and 111 at 25 ms). 25 ms put
 *     201 → Telegram at 100 orders/s at p50 28 ms instead of 12
 * @param retainedWalWarning retained WAL above which the {@code replicationSlot} health turns WARNING
 * @param restartPause how long a failed engine stays down before the relay starts it again from its
 *     durable offset (checked every {@code dukan.relay.leadership-check-interval})
 */
@Validated
@ConfigurationProperties("dukan.relay")
record RelayProperties(
        @DefaultValue("true") boolean enabled,
        @Pattern(regexp = "[a-z0-9_]{1,63}") String slotName,
        @Pattern(regexp = "[a-z0-9_]{1,63}") String publicationName,
        @DefaultValue("1s") @NotNull @DurationMin(millis = 1) Duration offsetFlushInterval,
        @DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration heartbeatInterval,
        @DefaultValue("10ms") @NotNull @DurationMin(millis = 1) Duration pollInterval,
        @DefaultValue("1GB") @NotNull DataSize retainedWalWarning,
        @DefaultValue("5s") @NotNull @DurationMin(millis = 1) Duration restartPause) {

    @AssertTrue(message = "dukan.relay.retained-wal-warning must be positive")
    boolean isRetainedWalWarningPositive() {
        return retainedWalWarning == null || retainedWalWarning.toBytes() > 0;
    }
}
