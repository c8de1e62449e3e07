package com.onlinedukan.relay;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Reports the relay: its state, whether this instance leads, its lag, and how much WAL its slot
 * retains — the number that grows without bound when nobody reads the slot.
 */
@Component
public class RelayMonitor {

    private final OutboxRelay relay;
    private final RelayLeadership leadership;
    private final JdbcClient jdbc;
    private final RelayNames names;
    private final AtomicLong retainedWal = new AtomicLong(-1);

    RelayMonitor(OutboxRelay relay, RelayLeadership leadership, JdbcClient jdbc, RelayNames names,
            MeterRegistry meters) {
        this.relay = relay;
        this.leadership = leadership;
        this.jdbc = jdbc;
        this.names = names;
        Gauge.builder("dukan.relay.retained.wal", retainedWal, AtomicLong::get).baseUnit("bytes")
                .description("WAL retained by the relay's replication slot").register(meters);
        Gauge.builder("dukan.relay.leader", leadership, l -> l.isLeader() ? 1 : 0)
                .description("1 on the instance that holds the relay lease").register(meters);
        Gauge.builder("dukan.relay.failed", relay, r -> r.state() == RelayState.FAILED ? 1 : 0)
                .description("1 while this instance's relay engine is failed").register(meters);
    }

    public RelayStatus status() {
        return new RelayStatus(relay.state(), leadership.isLeader(), relay.lagSeconds(), retainedWal.get(),
                relay.lastError().orElse(null));
    }

    /** Reads the slot's retained WAL now (also refreshed every few seconds for the gauge). */
    @Scheduled(fixedDelayString = "5s", initialDelayString = "1s")
    public long refreshRetainedWal() {
        long bytes = jdbc.sql("""
                SELECT COALESCE(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), -1)::bigint
                  FROM pg_replication_slots WHERE slot_name = :slot
                """).param("slot", names.slot()).query(Long.class).optional().orElse(-1L);
        retainedWal.set(bytes);
        return bytes;
    }
}
