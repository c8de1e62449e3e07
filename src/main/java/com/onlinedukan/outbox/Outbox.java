package com.onlinedukan.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The outbox table and the only code that touches it. An event is written with the change it
 * describes, so it exists exactly when that change committed: {@link #append} joins the caller's
 * transaction and refuses to run without one; {@link #appendWith} sends the change and the event as
 * one statement, atomic by itself. Consumers read events back by id or by age, and report how far
 * they have accounted for them ({@link OutboxConsumers}); the outbox deletes its own rows
 * ({@code OutboxRetention}).
 */
@Component
public class Outbox {

    /** The table the relay captures; column names follow Debezium's outbox convention. */
    public static final String TABLE = "outbox";

    private static final String COLUMNS =
            "id, aggregatetype, aggregateid, type, payload::text AS payload, created_at, tracingspancontext";

    private static final String PARAMETER_PREFIX = "outbox_";

    private static final String INSERT_WITH_CHANGE = """
            INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, tracingspancontext)
            VALUES (:outbox_id, :outbox_aggregateType, :outbox_aggregateId, :outbox_type, CAST(:outbox_payload AS jsonb),
                    :outbox_trace)""";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Counter written;
    private final Tracer tracer;

    Outbox(JdbcClient jdbc, JsonMapper json, MeterRegistry meters, ObjectProvider<Tracer> tracer) {
        this.jdbc = jdbc;
        this.json = json;
        this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
        this.written = Counter.builder("dukan.outbox.events.written")
                .description("Events appended to the outbox")
                .register(meters);
    }

    /**
     * Records an event about an aggregate, with the trace it is written in ({@link EventTrace});
     * returns its id, which is the event's idempotency key all the way to Telegram.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID append(String aggregateType, String aggregateId, String eventType, Object payload) {
        UUID eventId = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, tracingspancontext)
                VALUES (:id, :aggregateType, :aggregateId, :type, CAST(:payload AS jsonb), :trace)
                """)
                .param("id", eventId)
                .param("aggregateType", aggregateType)
                .param("aggregateId", aggregateId)
                .param("type", eventType)
                .param("payload", json.writeValueAsString(payload))
                .param("trace", currentTrace(), java.sql.Types.VARCHAR)
                .update();
        countAfterCommit();
        return eventId;
    }

    /**
     * A change to write together with the event that describes it: one or more SQL statements
     * (separated by {@code ;}) with named parameters, none of them starting with {@code outbox_}.
     * The parameters are read, not copied: {@link #appendWith} copies them once, beside its own.
     */
    public record Change(String sql, Map<String, ?> params) {

        public Change {
            if (params.keySet().stream().anyMatch(name -> name.startsWith(PARAMETER_PREFIX))) {
                throw new IllegalArgumentException("parameter names starting with " + PARAMETER_PREFIX + " are the outbox's");
            }
            params = Collections.unmodifiableMap(params);
        }
    }

    /**
     * Writes {@code change} and an event about it in one round trip to PostgreSQL: the change's
     * statements and the outbox INSERT are sent as one JDBC statement, which runs in the caller's
     * transaction when there is one, and otherwise as one implicit transaction of its own (the
     * statements before the protocol's Sync): both commit, or neither does. Returns the event's id,
     * as {@link #append} does.
     */
    public UUID appendWith(Change change, String aggregateType, String aggregateId, String eventType, Object payload) {
        UUID eventId = UUID.randomUUID();
        Map<String, Object> params = new HashMap<>(change.params());
        params.put(PARAMETER_PREFIX + "id", eventId);
        params.put(PARAMETER_PREFIX + "aggregateType", aggregateType);
        params.put(PARAMETER_PREFIX + "aggregateId", aggregateId);
        params.put(PARAMETER_PREFIX + "type", eventType);
        params.put(PARAMETER_PREFIX + "payload", json.writeValueAsString(payload));
        params.put(PARAMETER_PREFIX + "trace", new SqlParameterValue(Types.VARCHAR, currentTrace()));
        jdbc.sql(change.sql() + ";\n" + INSERT_WITH_CHANGE).params(params).update();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            countAfterCommit();
        }
        else {
            written.increment();
        }
        return eventId;
    }

    private void countAfterCommit() {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                written.increment();
            }
        });
    }

    /**
     * The span the caller is in (for an order, its POST's server span), read here rather than passed
     * in: every event gets it, no caller has to know about tracing, and it costs one string.
     */
    private String currentTrace() {
        TraceContext context = tracer.currentTraceContext().context();
        return context == null ? null
                : EventTrace.text(context.traceId(), context.spanId(), Boolean.TRUE.equals(context.sampled()));
    }

    /** The events with these ids that the outbox holds (purged and unknown ids are simply absent). */
    public List<OutboxEvent> events(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM outbox WHERE id IN (:ids)")
                .param("ids", ids)
                .query(Outbox::event)
                .list();
    }

    /**
     * Events of a type written in {@code [from, to)}, oldest first, after the cursor event
     * ({@code afterCreatedAt}, {@code afterId}) of the previous page.
     */
    public List<OutboxEvent> written(String type, Instant from, Instant to, OutboxEvent after, int limit) {
        Instant afterCreatedAt = after == null ? from : after.createdAt();
        UUID afterId = after == null ? new UUID(0, 0) : after.id();
        return jdbc.sql("SELECT " + COLUMNS + """
                 FROM outbox
                 WHERE type = :type AND created_at >= :from AND created_at < :to
                   AND (created_at, id) > (:afterCreatedAt, :afterId)
                 ORDER BY created_at, id
                 LIMIT :limit
                """)
                .param("type", type)
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to))
                .param("afterCreatedAt", Timestamp.from(afterCreatedAt))
                .param("afterId", afterId)
                .param("limit", limit)
                .query(Outbox::event)
                .list();
    }

    /**
     * An event as the reconciler walks the outbox: its id and aggregate, the id of the transaction
     * that wrote it, and whether it was written longer than a grace period ago by the database's own
     * clock. Not its payload: the walk reads every event, and only the few the ledger lacks need
     * theirs ({@link #events(Collection)}).
     */
    public record Written(UUID id, String aggregateId, long transaction, boolean pastGrace) {
    }

    /**
     * The oldest transaction id still running in the database ({@code pg_snapshot_xmin}): every
     * transaction below it has committed or rolled back, so what it wrote is visible to any later read.
     */
    public long finishedBelow() {
        return jdbc.sql("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint").query(Long.class).single();
    }

    /**
     * Events of a type written by transactions {@code >= fromTransaction}, in (transaction, id)
     * order after the cursor event {@code after} of the previous page (null: from the start).
     */
    public List<Written> writtenByTransactionsFrom(String type, long fromTransaction, Written after,
            java.time.Duration grace, int limit) {
        return jdbc.sql("""
                SELECT id, aggregateid, txid, created_at < clock_timestamp() - make_interval(secs => :grace) AS past
                  FROM outbox
                 WHERE type = :type AND txid >= :from AND (txid, id) > (:afterTxid, :afterId)
                 ORDER BY txid, id
                 LIMIT :limit
                """)
                .param("type", type)
                .param("from", fromTransaction)
                .param("afterTxid", after == null ? Long.MIN_VALUE : after.transaction())
                .param("afterId", after == null ? new UUID(0, 0) : after.id())
                .param("grace", grace.toMillis() / 1000.0)
                .param("limit", limit)
                .query((rs, row) -> new Written(rs.getObject("id", UUID.class), rs.getString("aggregateid"),
                        rs.getLong("txid"), rs.getBoolean("past")))
                .list();
    }

    /**
     * When the oldest event the outbox still holds was written, by the database's clock; null when
     * it is empty. Whatever was recorded downstream before it, its event is gone from the outbox.
     */
    public Instant oldestWritten() {
        // min() of no rows is one row holding NULL; single() refuses a null result, so it is read as a list.
        List<Timestamp> oldest = jdbc.sql("SELECT min(created_at) FROM outbox").query(Timestamp.class).list();
        return oldest.isEmpty() || oldest.get(0) == null ? null : oldest.get(0).toInstant();
    }

    private static OutboxEvent event(ResultSet rs, int row) throws SQLException {
        return new OutboxEvent(rs.getObject("id", UUID.class), rs.getString("aggregatetype"),
                rs.getString("aggregateid"), rs.getString("type"), rs.getString("payload"),
                rs.getTimestamp("created_at").toInstant(), EventTrace.parse(rs.getString(EventTrace.COLUMN)).orElse(null));
    }
}
