package com.onlinedukan.outbox;

import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Appends events to the outbox table. It joins the caller's transaction and refuses to run
 * without one, so an event exists exactly when the change it describes committed.
 */
@Component
public class Outbox {

    /** The table the relay captures; column names follow Debezium's outbox convention. */
    public static final String TABLE = "outbox";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Counter written;

    Outbox(JdbcClient jdbc, JsonMapper json, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.json = json;
        this.written = Counter.builder("dukan.outbox.events.written")
                .description("Events appended to the outbox")
                .register(meters);
    }

    /**
     * Records an event about an aggregate; returns its id, which is the event's idempotency key
     * all the way to Telegram.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID append(String aggregateType, String aggregateId, String eventType, Object payload) {
        UUID eventId = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload)
                VALUES (:id, :aggregateType, :aggregateId, :type, CAST(:payload AS jsonb))
                """)
                .param("id", eventId)
                .param("aggregateType", aggregateType)
                .param("aggregateId", aggregateId)
                .param("type", eventType)
                .param("payload", json.writeValueAsString(payload))
                .update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                written.increment();
            }
        });
        return eventId;
    }
}
