package com.onlinedukan.outbox;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The modules that read the outbox, and how far each has accounted for it. A consumer
 * {@link #register registers} before it first reads, and then reports a watermark on the id of the
 * transaction that wrote each row ({@link Outbox.Written#transaction()}): every row written by a
 * transaction below it has been seen and recorded where the consumer keeps what it owes. The outbox
 * deletes a row only once it is past the retention and below every registered consumer's watermark;
 * one that registered and never reported holds every row.
 */
@Component
public class OutboxConsumers {

    private final JdbcClient jdbc;
    private final OutboxRetentionProperties retention;

    OutboxConsumers(JdbcClient jdbc, OutboxRetentionProperties retention) {
        this.jdbc = jdbc;
        this.retention = retention;
    }

    /** How long an event stays in the outbox at least ({@code dukan.reconciler.outbox-retention}). */
    public Duration retention() {
        return retention.outboxRetention();
    }

    /**
     * Makes {@code consumer} one whose watermark holds the outbox's retention, from the moment this
     * commits; a consumer already registered keeps its watermark.
     */
    public void register(String consumer) {
        jdbc.sql("INSERT INTO outbox_consumer (name) VALUES (:name) ON CONFLICT (name) DO NOTHING")
                .param("name", consumer)
                .update();
    }

    /**
     * Reports that {@code consumer} has accounted for every row written by a transaction below
     * {@code belowTransaction}. Plain assignment: a lower report than before is true too, and holds
     * the rows above it again. A consumer reporting for the first time is registered by it.
     */
    public void checkedBelow(String consumer, long belowTransaction) {
        jdbc.sql("""
                INSERT INTO outbox_consumer AS c (name, checked_below_txid, reported_at) VALUES (:name, :below, now())
                ON CONFLICT (name) DO UPDATE SET checked_below_txid = EXCLUDED.checked_below_txid, reported_at = now()
                """)
                .param("name", consumer)
                .param("below", belowTransaction)
                .update();
    }

    /** Every registered consumer's watermark; empty for one that never reported. */
    public Map<String, OptionalLong> watermarks() {
        Map<String, OptionalLong> marks = new TreeMap<>();
        jdbc.sql("SELECT name, checked_below_txid FROM outbox_consumer").query(rs -> {
            long below = rs.getLong(2);
            marks.put(rs.getString(1), rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(below));
        });
        return marks;
    }
}
