package com.onlinedukan.cluster;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.onlinedukan.support.TestServers;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One relay leader at a time, also when a deposed leader comes back: a leader that was frozen past
 * its lease still holds its session's advisory lock, so its successor (who took the expired lease)
 * cannot lock; the free-lock shortcut must not hand the lease back to the deposed leader.
 * <p>
 * A JDBC slice: the lease's statements alone against PostgreSQL (no Spring context, relay or Redis).
 */
class RelayLeaseHandOverTests {

    static final String SLOT = "dukan_lease_handover_test";
    private static final AtomicInteger databases = new AtomicInteger();

    static HikariDataSource dataSource;
    static JdbcConnectionDetails database;
    static JdbcClient jdbc;

    @BeforeAll
    static void migratedDatabase() {
        TestServers servers = TestServers.get();
        String name = "dukan_lease_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
        dataSource = servers.migratedDatabase(name, 4);
        jdbc = JdbcClient.create(dataSource);
        database = servers.connectionDetails(name);
    }

    @AfterAll
    static void close() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    Leadership first;
    Leadership second;

    @AfterEach
    void release() {
        first.release();
        second.release();
        jdbc.sql("DELETE FROM relay_leader WHERE slot = ?").param(SLOT).update();
    }

    @Test
    void aDeposedLeaderThatComesBackDoesNotTakeTheLeaseBackFromItsSuccessor() throws Exception {
        first = leadership();
        second = leadership();
        assertThat(first.check()).as("the first instance leads").isTrue();
        assertThat(second.check()).as("the lease is held").isFalse();

        // The first instance freezes: no renewals, but its session (and advisory lock) lives on.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(second::check);
        assertThat(locked()).as("the successor cannot lock while the deposed leader's session holds it").isFalse();

        // The first instance thaws and checks: it must see the successor's lease, not a free lock.
        assertThat(first.check()).as("the deposed leader does not take the lease back").isFalse();
        assertThat(holder()).isEqualTo(second.holder());
        assertThat(second.check()).as("the successor still leads and now holds the lock").isTrue();
        assertThat(locked()).isTrue();
        assertThat(first.check()).isFalse();
        assertThat(holder()).isEqualTo(second.holder());
    }

    @Test
    void aStandbyTakesTheLeaseAtOnceWhenTheLockingLeadersSessionEnds() throws Exception {
        first = leadership();
        second = leadership();
        assertThat(first.check()).isTrue();
        assertThat(locked()).isTrue();
        terminate(first.holder());

        assertThat(second.check()).as("the lock is free because the holder's session is gone").isTrue();
        assertThat(holder()).isEqualTo(second.holder());
    }

    Leadership leadership() {
        return new Leadership(database, new LeaseProperties(Duration.ofSeconds(2), Duration.ofMillis(500)), () -> SLOT, new InstanceIdentity());
    }

    void terminate(String holder) {
        jdbc.sql("""
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE application_name = 'dukan-relay-lease' AND pid IN (
                       SELECT pid FROM pg_locks
                        WHERE locktype = 'advisory' AND granted
                          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                          AND objid::text::bigint = (hashtext(:lock)::bigint & 4294967295))""")
                .param("lock", "dukan-relay:" + SLOT).query().listOfRows();
        assertThat(holder()).isEqualTo(holder);
    }

    String holder() {
        return jdbc.sql("SELECT holder FROM relay_leader WHERE slot = ?").param(SLOT).query(String.class).single();
    }

    boolean locked() {
        return jdbc.sql("SELECT locked FROM relay_leader WHERE slot = ?").param(SLOT).query(Boolean.class).single();
    }
}
