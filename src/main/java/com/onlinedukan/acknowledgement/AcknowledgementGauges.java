package com.onlinedukan.acknowledgement;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.onlinedukan.cluster.ScanPace;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Orders nobody has taken yet, by stage, read from PostgreSQL every few seconds rather than at each
 * scrape. The count reads every open row (255 ms at 600,000 of them, which a burst nobody answers
 * leaves), so it is paced ({@link ScanPace}) to at most 2 % of the time.
 */
@Component
class AcknowledgementGauges {

    final ScanPace pace = new ScanPace(0.02);

    private final AcknowledgementLedger ledger;
    private final Map<Stage, AtomicLong> waiting = new EnumMap<>(Stage.class);

    AcknowledgementGauges(AcknowledgementLedger ledger, MeterRegistry meters) {
        this.ledger = ledger;
        for (Stage stage : Stage.values()) {
            if (stage != Stage.TAKEN) {
                AtomicLong count = new AtomicLong();
                waiting.put(stage, count);
                Gauge.builder("dukan.orders.unacknowledged", count, AtomicLong::get).tag("stage", stage.name())
                        .description("Delivered orders no member of staff has taken yet, by escalation stage")
                        .register(meters);
            }
        }
    }

    @Scheduled(fixedDelayString = "5s", initialDelayString = "1s")
    void tick() {
        pace.runIfDue(this::refresh);
    }

    void refresh() {
        ledger.waitingByStage().forEach((stage, count) -> waiting.get(stage).set(count));
    }
}
