package com.onlinedukan.notification;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Backlog gauges for alerting, read from PostgreSQL every few seconds rather than at each scrape. */
@Component
class PipelineGauges {

    private final NotificationQueries queries;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong retrying = new AtomicLong();
    private final AtomicLong oldestUndeliveredMillis = new AtomicLong();

    PipelineGauges(NotificationQueries queries, MeterRegistry meters) {
        this.queries = queries;
        Gauge.builder("dukan.notifications.pending", pending, AtomicLong::get).tag("status", "PENDING")
                .description("Notifications waiting for their first or next attempt").register(meters);
        Gauge.builder("dukan.notifications.pending", retrying, AtomicLong::get).tag("status", "RETRYING")
                .description("Notifications waiting for their first or next attempt").register(meters);
        Gauge.builder("dukan.outbox.oldest.undelivered.age", oldestUndeliveredMillis, m -> m.get() / 1000.0)
                .baseUnit("seconds").description("Age of the oldest order event neither delivered nor dead")
                .register(meters);
    }

    @Scheduled(fixedDelayString = "5s", initialDelayString = "1s")
    void refresh() {
        Map<DeliveryStatus, Long> counts = queries.countsByStatus();
        pending.set(counts.get(DeliveryStatus.PENDING));
        retrying.set(counts.get(DeliveryStatus.RETRYING));
        oldestUndeliveredMillis.set(queries.undelivered()[1]);
    }
}
