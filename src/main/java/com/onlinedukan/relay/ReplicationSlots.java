package com.onlinedukan.relay;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What the relay asks PostgreSQL about its slot before starting the engine: whether a walsender
 * left behind by a previous leader still holds it, and whether the server can keep the slot
 * across a failover to a standby (PostgreSQL 17+).
 */
@Component
class ReplicationSlots {

    private static final Logger log = LoggerFactory.getLogger(ReplicationSlots.class);
    private static final int FAILOVER_SLOTS_SINCE = 170000;

    private final JdbcClient jdbc;
    private final RelayNames names;
    private volatile Integer announcedPid;

    ReplicationSlots(JdbcClient jdbc, RelayNames names) {
        this.jdbc = jdbc;
        this.names = names;
    }

    /** PostgreSQL 17+ can synchronize a slot created for failover to its standbys. */
    boolean failoverSupported() {
        return jdbc.sql("SELECT current_setting('server_version_num')::int").query(Integer.class).single()
                >= FAILOVER_SLOTS_SINCE;
    }

    /**
     * Whether the slot is free for this instance's engine. Call only while holding the lease: a
     * walsender still on our slot then belongs to a leader whose lease ran out, which stopped its
     * relay by its own clock, or whose machine is gone. PostgreSQL would end it only after
     * {@code wal_sender_timeout}; we end it now (the same database role may), and the engine
     * starts at the next check. If that is refused, we wait for PostgreSQL, saying so.
     */
    boolean freeForLeader() {
        Optional<Integer> holder = jdbc.sql("""
                SELECT active_pid FROM pg_replication_slots
                 WHERE slot_name = :slot AND database = current_database() AND active_pid IS NOT NULL
                """).param("slot", names.slot()).query(Integer.class).optional();
        if (holder.isEmpty()) {
            announcedPid = null;
            return true;
        }
        int pid = holder.get();
        try {
            jdbc.sql("SELECT pg_terminate_backend(:pid)").param("pid", pid).query(Boolean.class).single();
            log.warn("Replication slot '{}' was still held by walsender PID {}, left by a previous relay leader; "
                    + "ended it, starting the relay at the next check", names.slot(), pid);
        }
        catch (DataAccessException e) {
            if (!Integer.valueOf(pid).equals(announcedPid)) {
                log.warn("Waiting for replication slot '{}': walsender PID {} of a previous relay leader still holds "
                        + "it and could not be ended ({}); PostgreSQL ends it after wal_sender_timeout",
                        names.slot(), pid, e.getMessage());
            }
        }
        announcedPid = pid;
        return false;
    }
}
