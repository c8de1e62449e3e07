package com.onlinedukan.stream;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.onlinedukan.outbox.EventTrace;

/**
 * An outbox event as it travels on the Redis Stream: one stream entry, one event.
 *
 * @param committedAt when the transaction that wrote the event committed (from the WAL)
 * @param trace the trace the event was written in, carried as the entry's W3C {@code traceparent}
 *        (and {@code tracestate}) fields; null when it was written outside one
 */
public record RelayedEvent(UUID eventId, String type, String aggregateType, String aggregateId, String payload,
        Instant committedAt, EventTrace trace) {

    static final String EVENT_ID = "eventId";
    static final String TYPE = "type";
    static final String AGGREGATE_TYPE = "aggregateType";
    static final String AGGREGATE_ID = "aggregateId";
    static final String PAYLOAD = "payload";
    static final String COMMITTED_AT = "committedAt";

    Map<String, String> toFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(EVENT_ID, eventId.toString());
        fields.put(TYPE, type);
        fields.put(AGGREGATE_TYPE, aggregateType);
        fields.put(AGGREGATE_ID, aggregateId);
        fields.put(PAYLOAD, payload);
        fields.put(COMMITTED_AT, committedAt.toString());
        if (trace != null) {
            fields.put(EventTrace.TRACEPARENT, trace.traceparent());
            if (trace.tracestate() != null) {
                fields.put(EventTrace.TRACESTATE, trace.tracestate());
            }
        }
        return fields;
    }

    /**
     * Reads a stream entry back.
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static RelayedEvent fromFields(Map<String, String> fields) {
        return new RelayedEvent(
                parse(fields, EVENT_ID, UUID::fromString),
                required(fields, TYPE),
                required(fields, AGGREGATE_TYPE),
                required(fields, AGGREGATE_ID),
                required(fields, PAYLOAD),
                parse(fields, COMMITTED_AT, Instant::parse),
                trace(fields));
    }

    /** The entry's trace, if it carries a valid one: a missing or broken trace never costs the event. */
    private static EventTrace trace(Map<String, String> fields) {
        String traceparent = fields.get(EventTrace.TRACEPARENT);
        try {
            return traceparent == null ? null : new EventTrace(traceparent, fields.get(EventTrace.TRACESTATE));
        }
        catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static <T> T parse(Map<String, String> fields, String name, java.util.function.Function<String, T> parser) {
        String value = required(fields, name);
        try {
            return parser.apply(value);
        }
        catch (RuntimeException e) {
            throw new IllegalArgumentException("stream entry's '" + name + "' is malformed: " + e.getMessage());
        }
    }

    private static String required(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("stream entry has no '" + name + "'");
        }
        return value;
    }
}
