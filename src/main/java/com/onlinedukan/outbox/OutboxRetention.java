package com.onlinedukan.outbox;

import com.onlinedukan.cluster.Leadership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the outbox bounded, on the cluster's leader: a row goes once it is older than the retention
 * (by the database's clock) and written by a transaction below every registered consumer's
 * watermark ({@link OutboxConsumers}). No consumer registered, or one that never reported, and
 * nothing goes. The whole condition is one statement, so a second instance running it at the same
 * moment (a deposed leader's last round) deletes nothing the rule keeps.
 */
@Component
class OutboxRetention {

    private static final Logger log = LoggerFactory.getLogger(OutboxRetention.class);
    private static final int BATCH = 1000;

    /**
     * The lowest watermark, only when every registered consumer has one (min() alone would skip a
     * consumer that never reported); no row at all otherwise, and {@code txid < NULL} keeps everything.
     */
    private static final String PURGE = """
            DELETE FROM outbox WHERE id IN (
                SELECT id FROM outbox
                 WHERE created_at < now() - make_interval(secs => :retention)
                   AND txid < (SELECT min(checked_below_txid) FROM outbox_consumer
                                HAVING count(*) > 0 AND count(checked_below_txid) = count(*))
                 ORDER BY created_at LIMIT :limit)
            """;

    private final JdbcClient jdbc;
    private final Leadership leadership;
    private final double retentionSeconds;

    OutboxRetention(JdbcClient jdbc, Leadership leadership, OutboxRetentionProperties properties) {
        this.jdbc = jdbc;
        this.leadership = leadership;
        this.retentionSeconds = properties.outboxRetention().toMillis() / 1000.0;
    }

    /**
     * On the interval the notifier's purge has always run on ({@code dukan.notification.retention.interval});
     * returns how many rows went (none on a standby).
     */
    @Scheduled(fixedDelayString = "${dukan.notification.retention.interval:1m}", initialDelayString = "5s")
    int purgeOnLeader() {
        if (!leadership.isLeader()) {
            return 0;
        }
        try {
            int purged = purge();
            if (purged > 0) {
                log.info("Purged {} outbox events past their retention that every consumer had accounted for", purged);
            }
            return purged;
        }
        catch (RuntimeException e) {
            log.warn("Purging old outbox events failed: {}", e.getMessage());
            return 0;
        }
    }

    /** Deletes every row the rule lets go, a batch at a time; returns how many. */
    int purge() {
        int purged = 0;
        int batch;
        do {
            batch = jdbc.sql(PURGE).param("retention", retentionSeconds).param("limit", BATCH).update();
            purged += batch;
        }
        while (batch == BATCH);
        return purged;
    }
}
