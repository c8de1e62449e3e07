package com.onlinedukan.notification;

import java.util.List;
import java.util.UUID;

import com.onlinedukan.relay.OutboxStream;
import com.onlinedukan.relay.RelayLeadership;
import com.onlinedukan.relay.RelayedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Compares the outbox with the delivery ledger and republishes every order event the ledger has
 * never seen once it is older than the grace period: what Redis lost (a restart without
 * persistence, a failover) or the relay skipped reaches the notifier anyway. Also purges delivered
 * events from the outbox after the retention. Runs on the relay leader only.
 */
@Component
class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private static final int BATCH = 500;

    private final JdbcClient jdbc;
    private final OutboxStream stream;
    private final RelayLeadership leadership;
    private final ReconcilerProperties properties;
    private final Counter republished;

    Reconciler(JdbcClient jdbc, OutboxStream stream, RelayLeadership leadership, ReconcilerProperties properties,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.stream = stream;
        this.leadership = leadership;
        this.properties = properties;
        this.republished = Counter.builder("dukan.reconciler.events.republished")
                .description("Outbox events the reconciler found missing from the ledger and published again")
                .register(meters);
    }

    @Scheduled(fixedDelayString = "${dukan.reconciler.interval:30s}", initialDelayString = "${dukan.reconciler.interval:30s}")
    void reconcileOnLeader() {
        if (!leadership.isLeader()) {
            return;
        }
        try {
            int count = reconcile();
            purgeDelivered();
            if (count > 0) {
                log.warn("Republished {} outbox events the notifier had not seen", count);
            }
        }
        catch (RuntimeException e) {
            log.warn("Reconciliation failed: {}", e.getMessage());
        }
    }

    /** Republishes the missing events, oldest first, page by page; returns how many. */
    int reconcile() {
        int total = 0;
        java.time.Instant after = java.time.Instant.EPOCH;
        UUID afterId = new UUID(0, 0);
        List<Missing> page;
        do {
            page = missingAfter(after, afterId);
            stream.republish(page.stream().map(Missing::event).toList());
            republished.increment(page.size());
            total += page.size();
            if (!page.isEmpty()) {
                Missing last = page.get(page.size() - 1);
                after = last.createdAt();
                afterId = last.event().eventId();
            }
        }
        while (page.size() == BATCH);
        return total;
    }

    private record Missing(RelayedEvent event, java.time.Instant createdAt) {
    }

    private List<Missing> missingAfter(java.time.Instant after, UUID afterId) {
        return jdbc.sql("""
                SELECT o.id, o.type, o.aggregatetype, o.aggregateid, o.payload::text AS payload, o.created_at
                  FROM outbox o
                 WHERE o.type = 'OrderPlaced'
                   AND o.created_at < now() - make_interval(secs => :grace)
                   AND (o.created_at, o.id) > (:after, :afterId)
                   AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.event_id = o.id)
                 ORDER BY o.created_at, o.id
                 LIMIT :limit
                """)
                .param("grace", (double) properties.grace().toMillis() / 1000)
                .param("after", java.sql.Timestamp.from(after))
                .param("afterId", afterId)
                .param("limit", BATCH)
                .query((rs, row) -> new Missing(new RelayedEvent(rs.getObject("id", UUID.class), rs.getString("type"),
                        rs.getString("aggregatetype"), rs.getString("aggregateid"), rs.getString("payload"),
                        rs.getTimestamp("created_at").toInstant()), rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    void purgeDelivered() {
        int purged = jdbc.sql("""
                DELETE FROM outbox o USING notification n
                 WHERE n.event_id = o.id AND n.status = 'DELIVERED'
                   AND n.delivered_at < now() - make_interval(secs => :retention)
                """)
                .param("retention", (double) properties.outboxRetention().toSeconds())
                .update();
        if (purged > 0) {
            log.info("Purged {} delivered events older than {} from the outbox", purged, properties.outboxRetention());
        }
    }

}
