package com.onlinedukan.acknowledgement;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Orders nobody has taken yet, by stage, read from PostgreSQL every few seconds rather than at each scrape. */
@Component
class AcknowledgementGauges {

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
    void refresh() {
        ledger.waitingByStage().forEach((stage, count) -> waiting.get(stage).set(count));
    }
}
