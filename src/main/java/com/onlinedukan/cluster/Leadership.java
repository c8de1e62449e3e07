package com.onlinedukan.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.stereotype.Component;

/**
 * Which instance of the cluster leads, running the relay (and the reconciler and purges): the
 * holder of a lease, a row of {@code relay_leader} per slot that expires on the database's clock unless renewed every
 * {@code leadership-check-interval}. A leader that cannot renew stops being one by its own
 * monotonic clock before the lease can run out for anyone else; a standby takes the row once it
 * has expired, so a leader whose machine died or was cut off silently is replaced within
 * {@code leader-lease} plus one check. The holder also keeps an advisory lock on its lease
 * session: when PostgreSQL sees that session end (a crash, a kill, a closed connection), a standby
 * may take the lease at once instead of waiting for it to expire. So leadership lives no longer than
 * its session: every close of the session is ours, and steps down first; a renewal that hangs
 * (a third of the lease) is abandoned the same way, by a watchdog. Every instance takes its turns
 * ({@link LeaseTurns}), with the embedded relay or without it (Debezium Server publishes): the
 * leader runs the reconciler and the purges either way.
 */
@Component
public class Leadership {

    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    /**
     * Takes the lease if it is ours, expired, or its holder's session is gone (the holder took the
     * advisory lock and it is free now), in one statement on the database's clock; no row back means
     * someone else holds it. A free lock proves nothing about a holder that never had it: that one
     * loses the lease only by expiry.
     */
    private static final String TAKE_OR_RENEW = """
            INSERT INTO relay_leader AS lease (slot, holder, epoch, expires_at)
            VALUES (?, ?, 1, now() + ? * interval '1 millisecond')
            ON CONFLICT (slot) DO UPDATE
               SET holder = EXCLUDED.holder,
                   epoch = lease.epoch + CASE WHEN lease.holder = EXCLUDED.holder THEN 0 ELSE 1 END,
                   locked = lease.locked AND lease.holder = EXCLUDED.holder,
                   expires_at = EXCLUDED.expires_at
             WHERE lease.holder = EXCLUDED.holder
                OR lease.expires_at < now()
                OR (lease.locked AND pg_try_advisory_xact_lock(hashtext(?)))
            RETURNING epoch
            """;

    /** Abandons renewals that hang; one daemon thread for every lease of the JVM. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "dukan-lease-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private static final String MARK_LOCKED = "UPDATE relay_leader SET locked = true WHERE slot = ? AND holder = ?";

    private final JdbcConnectionDetails datasource;
    private final LeaseKey names;
    private final Duration lease;
    private final Duration checkInterval;
    /** Taken off the lease on our side, for the time it takes to stop the engine. */
    private final Duration margin;
    /** How long a renewal may take before its session is abandoned (and the leadership with it). */
    private final Duration renewalTimeout;
    private final String holder;

    private Connection connection;
    private boolean sessionLocked;
    private volatile boolean leader;
    private volatile long validUntilNanos;
    private volatile long epoch;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    Leadership(JdbcConnectionDetails datasource, LeaseProperties properties, LeaseKey names, InstanceIdentity identity) {
        this.datasource = datasource;
        this.names = names;
        this.lease = properties.leaderLease();
        this.checkInterval = properties.leadershipCheckInterval();
        this.margin = min(Duration.ofSeconds(1), lease.dividedBy(10));
        // A renewal that hangs (a silent network) must give up well within the lease.
        this.renewalTimeout = lease.dividedBy(3);
        this.holder = identity.name();
    }

    /**
     * Whether this instance holds the lease now: renewed, and not past the moment (on this JVM's
     * monotonic clock) before which the database cannot have let it expire.
     */
    public boolean isLeader() {
        return leader && System.nanoTime() - validUntilNanos < 0;
    }

    /** How long the lease lasts without renewal ({@code dukan.relay.leader-lease}). */
    public Duration lease() {
        return lease;
    }

    /**
     * How often {@link #check()} is to be called ({@code dukan.relay.leadership-check-interval}): at
     * least twice within a {@link #lease()}.
     */
    public Duration checkInterval() {
        return checkInterval;
    }

    /** This instance's name in {@code relay_leader.holder}: its {@link InstanceIdentity}. */
    public String holder() {
        return holder;
    }

    /**
     * Whoever must act the moment this instance starts or stops leading (the relay starts or stops
     * its engine), rather than at its own next look: called on the thread that saw the change, so it
     * must only hand the work on.
     */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * Renews the lease if held, takes it if free or expired; returns whether we hold it.
     * {@link LeaseTurns} calls it every {@code leadership-check-interval}.
     */
    public synchronized boolean check() {
        long started = System.nanoTime();
        // Read before the renewal: the watchdog may step down while it hangs.
        boolean led = isLeader();
        try {
            if (connection == null || connection.isClosed()) {
                connection = connect();
                sessionLocked = false;
            }
            long won = watched(connection);
            if (won > 0) {
                validUntilNanos = started + lease.minus(margin).toNanos();
                if (!leader || won != epoch) {
                    log.info("Holding the relay lease for slot '{}' as {} (epoch {}, {} s)", names.slot(), holder, won,
                            lease.toSeconds());
                }
                epoch = won;
                leader = true;
            }
            else {
                if (leader) {
                    log.warn("Another instance holds the relay lease for slot '{}' now; standing by", names.slot());
                }
                leader = false;
                // Our session's advisory lock, if any, would keep the new holder from holding its own.
                closeConnection();
            }
        }
        catch (SQLException | RuntimeException e) {
            closeConnection();
            if (led) {
                log.warn("Could not renew the relay lease ({}); stepped down, as the end of the session that held it "
                        + "lets a standby take the lease at once", e.getMessage());
            }
        }
        boolean leads = isLeader();
        if (leads != led) {
            listeners.forEach(Runnable::run);
        }
        return leads;
    }

    /**
     * Takes or renews on {@code session} under the watchdog: past {@link #renewalTimeout} the watchdog
     * steps down and then aborts the session, and a renewal that returns after that does not count.
     */
    private long watched(Connection session) throws SQLException {
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> abandon(session), renewalTimeout.toNanos(),
                TimeUnit.NANOSECONDS);
        long won;
        try {
            won = takeOrRenew();
        }
        catch (SQLException | RuntimeException e) {
            watchdog.cancel(false);
            throw e;
        }
        if (!watchdog.cancel(false)) {
            throw new SQLTimeoutException("the renewal took longer than " + renewalTimeout.toMillis() + " ms");
        }
        return won;
    }

    private void abandon(Connection session) {
        stepDown();
        try {
            session.abort(Runnable::run);
        }
        catch (SQLException | RuntimeException e) {
            // closed already
        }
    }

    /** Before the session that may hold the lease's lock ends: PostgreSQL may hand the lease on then. */
    private void stepDown() {
        leader = false;
        validUntilNanos = System.nanoTime();
    }

    private long takeOrRenew() throws SQLException {
        String lock = "dukan-relay:" + names.slot();
        try {
            long won = 0;
            try (PreparedStatement take = connection.prepareStatement(TAKE_OR_RENEW)) {
                take.setString(1, names.slot());
                take.setString(2, holder);
                take.setLong(3, lease.toMillis());
                take.setString(4, lock);
                try (ResultSet rs = take.executeQuery()) {
                    if (rs.next()) {
                        won = rs.getLong(1);
                    }
                }
            }
            if (won > 0 && !sessionLocked) {
                try (PreparedStatement hold = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
                    hold.setString(1, lock);
                    try (ResultSet rs = hold.executeQuery()) {
                        sessionLocked = rs.next() && rs.getBoolean(1);
                    }
                }
                if (sessionLocked) {
                    try (PreparedStatement mark = connection.prepareStatement(MARK_LOCKED)) {
                        mark.setString(1, names.slot());
                        mark.setString(2, holder);
                        mark.executeUpdate();
                    }
                }
            }
            connection.commit();
            return won;
        }
        catch (SQLException e) {
            try {
                connection.rollback();
            }
            catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    /** Gives the lease up, so a standby takes over at its next check instead of after the lease. */
    public synchronized void release() {
        boolean held = leader;
        leader = false;
        validUntilNanos = System.nanoTime();
        if (held && connection != null) {
            try (PreparedStatement drop = connection.prepareStatement(
                    "DELETE FROM relay_leader WHERE slot = ? AND holder = ?")) {
                drop.setString(1, names.slot());
                drop.setString(2, holder);
                drop.executeUpdate();
                connection.commit();
            }
            catch (SQLException e) {
                log.warn("Could not hand the relay lease back ({}); a standby takes it when it expires", e.getMessage());
            }
        }
        closeConnection();
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        if (datasource.getUsername() != null) {
            props.setProperty("user", datasource.getUsername());
        }
        if (datasource.getPassword() != null) {
            props.setProperty("password", datasource.getPassword());
        }
        // The driver's own read timeout is only for statements no watchdog watches (the hand-back).
        props.setProperty("socketTimeout", wholeSeconds(lease));
        props.setProperty("connectTimeout", wholeSeconds(renewalTimeout));
        props.setProperty("loginTimeout", wholeSeconds(renewalTimeout));
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("ApplicationName", "dukan-relay-lease");
        Connection opened = DriverManager.getConnection(datasource.getJdbcUrl(), props);
        opened.setAutoCommit(false);
        return opened;
    }

    private void closeConnection() {
        sessionLocked = false;
        if (connection != null) {
            stepDown();
            try {
                connection.close();
            }
            catch (SQLException e) {
                // the session is gone either way, and its advisory lock with it
            }
            connection = null;
        }
    }

    /** The driver's timeouts are whole seconds, and 0 would mean none. */
    private static String wholeSeconds(Duration timeout) {
        return Long.toString(Math.max(1, timeout.toSeconds()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
