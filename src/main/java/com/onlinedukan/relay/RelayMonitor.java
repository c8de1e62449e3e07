package com.onlinedukan.relay;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import com.onlinedukan.cluster.Leadership;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Reports the relay: its state, whether this instance leads, its lag, and how much WAL its slot
 * retains — the number that grows without bound when nobody reads the slot. The leader also
 * writes these to {@code relay_state} every leadership check, so that every instance answers
 * with the leader's figures ({@link #cluster()}), not its own.
 */
@Component
public class RelayMonitor {

    private static final Logger log = LoggerFactory.getLogger(RelayMonitor.class);
    /** A report older than this many leases is stale: its writer has not led, or not reported, for a while. */
    private static final int STALE_AFTER_LEASES = 3;

    private final OutboxRelay relay;
    private final Leadership leadership;
    private final JdbcClient jdbc;
    private final RelayNames names;
    private final Duration staleAfter;
    private final AtomicLong retainedWal = new AtomicLong(-1);
    private volatile boolean reportFailing;

    RelayMonitor(OutboxRelay relay, Leadership leadership, JdbcClient jdbc, RelayNames names,
            MeterRegistry meters) {
        this.relay = relay;
        this.leadership = leadership;
        this.jdbc = jdbc;
        this.names = names;
        this.staleAfter = leadership.lease().multipliedBy(STALE_AFTER_LEASES);
        Gauge.builder("dukan.relay.retained.wal", retainedWal, AtomicLong::get).baseUnit("bytes")
                .description("WAL retained by the relay's replication slot").register(meters);
        Gauge.builder("dukan.relay.leader", leadership, l -> l.isLeader() ? 1 : 0)
                .description("1 on the instance that holds the relay lease").register(meters);
        Gauge.builder("dukan.relay.failed", relay, r -> r.state() == RelayState.FAILED ? 1 : 0)
                .description("1 while this instance's relay engine is failed").register(meters);
        Gauge.builder("dukan.relay.consecutive.failures", relay, OutboxRelay::consecutiveFailures)
                .description("Failed starts of this instance's relay engine in a row, with no batch streamed in between")
                .register(meters);
    }

    /** The relay on this instance. */
    public RelayStatus status() {
        return new RelayStatus(relay.state(), leadership.isLeader(), relay.lagSeconds(), retainedWal.get(),
                relay.lastError().orElse(null), relay.consecutiveFailures(), relay.crashLooping());
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

    /**
     * On the leader: writes this instance's relay state, lag and retained WAL to {@code relay_state}.
     * The statement writes only while {@code relay_leader} names this instance with a live lease,
     * so a leader that lost its lease cannot overwrite its successor's report.
     */
    @Scheduled(fixedDelayString = "#{@leadership.checkInterval().toMillis()}", initialDelayString = "500ms")
    void reportToCluster() {
        if (!leadership.isLeader()) {
            return;
        }
        try {
            long wal = refreshRetainedWal();
            jdbc.sql("""
                    INSERT INTO relay_state AS s (slot, leader, state, lag_seconds, retained_wal_bytes, last_error, updated_at)
                    SELECT :slot, :holder, :state, :lag, :wal, :error, now()
                     WHERE EXISTS (SELECT 1 FROM relay_leader
                                    WHERE slot = :slot AND holder = :holder AND expires_at > now())
                    ON CONFLICT (slot) DO UPDATE
                       SET leader = EXCLUDED.leader, state = EXCLUDED.state, lag_seconds = EXCLUDED.lag_seconds,
                           retained_wal_bytes = EXCLUDED.retained_wal_bytes, last_error = EXCLUDED.last_error,
                           updated_at = EXCLUDED.updated_at
                    """)
                    .param("slot", names.slot())
                    .param("holder", leadership.holder())
                    .param("state", relay.state().name())
                    .param("lag", relay.lagSeconds())
                    .param("wal", wal)
                    .param("error", new SqlParameterValue(Types.VARCHAR, relay.lastError().orElse(null)))
                    .update();
            if (reportFailing) {
                reportFailing = false;
                log.info("Reporting the relay's state to PostgreSQL works again");
            }
        }
        catch (RuntimeException e) {
            if (!reportFailing) {
                reportFailing = true;
                log.warn("Could not report the relay's state to PostgreSQL ({}); the ops API shows the last report "
                        + "and calls it stale after {}", e.getMessage(), staleAfter);
            }
        }
    }

    /** The relay as the cluster knows it: the lease as it stands and the leader's last report. */
    public RelayReport cluster() {
        return jdbc.sql("""
                SELECT l.holder, COALESCE(l.expires_at > now(), false) AS held,
                       s.leader AS reported_by, s.state, s.lag_seconds, s.retained_wal_bytes, s.last_error,
                       s.updated_at, EXTRACT(EPOCH FROM now() - s.updated_at)::double precision AS age
                  FROM (SELECT CAST(:slot AS text) AS slot) k
                  LEFT JOIN relay_leader l ON l.slot = k.slot
                  LEFT JOIN relay_state s ON s.slot = k.slot
                """)
                .param("slot", names.slot())
                .query(this::report)
                .single();
    }

    private RelayReport report(ResultSet rs, int row) throws SQLException {
        boolean held = rs.getBoolean("held");
        String state = rs.getString("state");
        Timestamp at = rs.getTimestamp("updated_at");
        Double age = at == null ? null : rs.getDouble("age");
        return new RelayReport(state == null ? null : RelayState.valueOf(state), held,
                held ? rs.getString("holder") : null,
                at == null ? null : rs.getDouble("lag_seconds"),
                at == null ? null : rs.getLong("retained_wal_bytes"),
                rs.getString("last_error"), rs.getString("reported_by"), at == null ? null : at.toInstant(), age,
                age == null || age > staleAfter.toMillis() / 1000.0);
    }
}
