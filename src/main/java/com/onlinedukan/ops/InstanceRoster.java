package com.onlinedukan.ops;

import java.lang.management.ManagementFactory;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.onlinedukan.cluster.InstanceIdentity;
import com.onlinedukan.relay.RelayMonitor;
import com.onlinedukan.relay.RelayState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The service's instances as PostgreSQL knows them. Each instance refreshes its own row every
 * {@link #HEARTBEAT} (with its stream consumer name and its relay's state) and marks it stopped on
 * a clean shutdown; one not heard from for three heartbeats is silent (crashed, frozen or cut off),
 * and its row goes an hour after it was last seen. PostgreSQL rather than the stream's consumer
 * group, because an instance that cannot reach PostgreSQL can do nothing anyway, while a crashed
 * consumer stays in the group, idle, for {@code consumer-expiry} (an hour).
 * An instance is named by its relay lease name, so the relay's leader is one of the rows.
 */
@Component
public class InstanceRoster implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InstanceRoster.class);
    /** Seconds between two heartbeats of an instance. */
    public static final long HEARTBEAT_SECONDS = 5;
    static final Duration HEARTBEAT = Duration.ofSeconds(HEARTBEAT_SECONDS);
    private static final Duration SILENT_AFTER = HEARTBEAT.multipliedBy(3);
    private static final Duration FORGOTTEN_AFTER = Duration.ofHours(1);
    private static final Duration STOP_MARK_WAIT = Duration.ofSeconds(2);

    /** How an instance is doing, by its heartbeats. */
    public enum Presence {
        /** Heard from within three heartbeats. */
        ALIVE,
        /** Not heard from for three heartbeats, and never said it stopped. */
        SILENT,
        /** Stopped cleanly. */
        STOPPED
    }

    /**
     * One instance.
     *
     * @param id its {@code InstanceIdentity}: the lease's holder name
     * @param consumer its name in the outbox stream's consumer group: the same identity
     * @param relayState its own relay's state at its last heartbeat (the leader's is RUNNING; the others' STANDBY)
     */
    public record Member(String id, String host, long pid, String consumer, RelayState relayState, Instant startedAt,
            Instant lastSeen, Instant stoppedAt, Presence presence) {
    }

    private final JdbcClient jdbc;
    private final RelayMonitor relay;
    private final String id;
    private final String host;
    private final String consumer;
    private final Instant startedAt;
    private volatile boolean running;
    private volatile boolean beatFailing;

    InstanceRoster(JdbcClient jdbc, InstanceIdentity identity, RelayMonitor relay) {
        this.jdbc = jdbc;
        this.relay = relay;
        this.id = identity.name();
        this.consumer = identity.name();
        String runtime = ManagementFactory.getRuntimeMXBean().getName(); // pid@host on HotSpot
        this.host = runtime.contains("@") ? runtime.substring(runtime.indexOf('@') + 1) : "unknown";
        this.startedAt = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    }

    /** This instance's name, as the roster and the relay lease know it. */
    public String self() {
        return id;
    }

    /** Every instance heard from within the last hour: alive ones first, then by start. */
    public List<Member> members() {
        return jdbc.sql("""
                SELECT * FROM (
                    SELECT id, host, pid, consumer, relay_state, started_at, last_seen, stopped_at,
                           CASE WHEN stopped_at IS NOT NULL THEN 'STOPPED'
                                WHEN last_seen >= now() - make_interval(secs => :silentAfter) THEN 'ALIVE'
                                ELSE 'SILENT' END AS presence
                      FROM service_instance
                     WHERE last_seen >= now() - make_interval(secs => :forgottenAfter)) i
                 ORDER BY presence = 'ALIVE' DESC, started_at, id
                """)
                .param("silentAfter", (double) SILENT_AFTER.toSeconds())
                .param("forgottenAfter", (double) FORGOTTEN_AFTER.toSeconds())
                .query(InstanceRoster::member)
                .list();
    }

    private static Member member(ResultSet rs, int row) throws SQLException {
        Timestamp stopped = rs.getTimestamp("stopped_at");
        return new Member(rs.getString("id"), rs.getString("host"), rs.getLong("pid"), rs.getString("consumer"),
                RelayState.valueOf(rs.getString("relay_state")), rs.getTimestamp("started_at").toInstant(),
                rs.getTimestamp("last_seen").toInstant(), stopped == null ? null : stopped.toInstant(),
                Presence.valueOf(rs.getString("presence")));
    }

    /** Says this instance is alive, and forgets instances gone for an hour. */
    @Scheduled(fixedDelay = HEARTBEAT_SECONDS, initialDelay = HEARTBEAT_SECONDS, timeUnit = TimeUnit.SECONDS)
    void beat() {
        if (running) {
            record(false);
        }
    }

    /**
     * Upserts this instance's row. Only a start revives a row marked stopped, so a heartbeat still
     * in flight when the instance stops cannot undo the stop (nor does the stop wait for it).
     */
    private void record(boolean revive) {
        try {
            jdbc.sql("""
                    INSERT INTO service_instance (id, host, pid, consumer, relay_state, started_at, last_seen)
                    VALUES (:id, :host, :pid, :consumer, :relayState, :startedAt, now())
                    ON CONFLICT (id) DO UPDATE
                       SET last_seen = now(), relay_state = EXCLUDED.relay_state, stopped_at = NULL
                     WHERE service_instance.stopped_at IS NULL OR :revive
                    """)
                    .param("revive", revive)
                    .param("id", id).param("host", host).param("pid", ProcessHandle.current().pid())
                    .param("consumer", consumer).param("relayState", relay.status().state().name())
                    .param("startedAt", Timestamp.from(startedAt))
                    .update();
            jdbc.sql("DELETE FROM service_instance WHERE last_seen < now() - make_interval(secs => :forgottenAfter)")
                    .param("forgottenAfter", (double) FORGOTTEN_AFTER.toSeconds())
                    .update();
            if (beatFailing) {
                beatFailing = false;
                log.info("Recording this instance's heartbeat in PostgreSQL works again");
            }
        }
        catch (RuntimeException e) {
            if (!beatFailing) {
                beatFailing = true;
                log.warn("Could not record this instance's heartbeat in PostgreSQL ({}); the ops page lists it as "
                        + "silent after {}", e.getMessage(), SILENT_AFTER);
            }
        }
    }

    @Override
    public void start() {
        running = true;
        record(true);
    }

    /**
     * Marks this instance stopped, so the page tells a clean stop from a crash. Waits at most
     * {@link #STOP_MARK_WAIT}: with PostgreSQL out of reach the write would wait for the pool's
     * connection timeout and hold the shutdown with it; unmarked, the instance turns silent instead.
     */
    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        CompletableFuture<Integer> marked = CompletableFuture.supplyAsync(() -> jdbc
                .sql("UPDATE service_instance SET stopped_at = now(), last_seen = now() WHERE id = :id")
                .param("id", id).update());
        try {
            marked.get(STOP_MARK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException e) {
            log.warn("Could not mark this instance stopped in PostgreSQL ({}); it turns silent instead",
                    e.getCause().getMessage());
        }
        catch (TimeoutException e) {
            log.warn("Could not mark this instance stopped in PostgreSQL within {}; it turns silent instead",
                    STOP_MARK_WAIT);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
