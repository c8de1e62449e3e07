package com.onlinedukan.support;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

/** What the delivery ledger says about orders' notifications, read as an SRE would with SQL. */
public final class Ledger {

    private final JdbcClient jdbc;

    public Ledger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The outcomes in an order's notification history, oldest first. */
    public List<String> history(String orderId) {
        return jdbc.sql("""
                SELECT a.outcome FROM notification_history a JOIN notification n ON n.event_id = a.event_id
                 WHERE n.order_id = CAST(? AS uuid) ORDER BY a.id
                """).param(orderId).query(String.class).list();
    }

    /** Notifications in a status, across all orders. */
    public long count(String status) {
        return jdbc.sql("SELECT count(*) FROM notification WHERE status = ?").param(status).query(Long.class).single();
    }

    /** Notifications still waiting for a send (PENDING or RETRYING). */
    public long waiting() {
        return count("PENDING") + count("RETRYING");
    }
}
