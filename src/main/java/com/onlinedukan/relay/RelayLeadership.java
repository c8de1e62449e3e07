package com.onlinedukan.relay;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.stereotype.Component;

/**
 * Which instance runs the relay: the one holding a PostgreSQL session-level advisory lock named
 * after the slot. The lock lives on a dedicated connection, so it goes away with the process (or
 * the network), and a standby takes it at its next check.
 */
@Component
public class RelayLeadership {

    private static final Logger log = LoggerFactory.getLogger(RelayLeadership.class);

    private final DataSourceProperties datasource;
    private final String lockName;
    private Connection connection;
    private volatile boolean leader;

    RelayLeadership(DataSourceProperties datasource, RelayProperties properties) {
        this.datasource = datasource;
        this.lockName = "dukan-relay:" + properties.slotName();
    }

    /** Whether this instance holds the relay lock (as of its last check). */
    public boolean isLeader() {
        return leader;
    }

    /** Keeps the lock if held and the session is alive, takes it if free; returns whether we hold it. */
    synchronized boolean check() {
        try {
            if (connection == null || connection.isClosed()) {
                leader = false;
                connection = DriverManager.getConnection(datasource.determineUrl(),
                        datasource.determineUsername(), datasource.determinePassword());
            }
            if (leader) {
                try (Statement alive = connection.createStatement()) {
                    alive.execute("SELECT 1");
                }
                return true;
            }
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
                lock.setString(1, lockName);
                try (ResultSet rs = lock.executeQuery()) {
                    leader = rs.next() && rs.getBoolean(1);
                }
            }
            return leader;
        }
        catch (SQLException e) {
            if (leader) {
                log.warn("Lost the relay lock's session ({}); standing by", e.getMessage());
            }
            release();
            return false;
        }
    }

    /** Gives the lock up (closing its session). */
    synchronized void release() {
        leader = false;
        if (connection != null) {
            try {
                connection.close();
            }
            catch (SQLException e) {
                // the session is gone either way, and so is the lock
            }
            connection = null;
        }
    }
}
