package com.onlinedukan.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

/**
 * A stream entry exactly as Debezium Server's Redis sink ({@code RedisStreamChangeConsumer}) writes
 * one outbox insert with the configuration in {@code debezium-server/application.properties}: the
 * outbox event router makes the record's key the row's {@code aggregateid}, its value the row's
 * {@code payload} (a jsonb column, so a string of JSON text), and adds a header {@code id} with the
 * row's id; key, value and header go through Kafka's JSON converter with schemas off. The
 * {@code extended} format writes {@code key}, {@code value}, then every header as a field named in
 * upper case; the {@code compact} format writes one field, {@code key: value}.
 */
public final class DebeziumServerSink {

    private static final JsonMapper json = JsonMapper.shared();

    private DebeziumServerSink() {
    }

    /** {@code debezium.sink.redis.message.format=extended}, as shipped. */
    public static Map<String, String> extended(UUID id, String aggregateId, String payloadText) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", json.writeValueAsString(aggregateId));
        fields.put("value", json.writeValueAsString(payloadText));
        fields.put("ID", json.writeValueAsString(id.toString()));
        return fields;
    }

    /** {@code debezium.sink.redis.message.format=compact}: no event id anywhere. */
    public static Map<String, String> compact(String aggregateId, String payloadText) {
        return Map.of(json.writeValueAsString(aggregateId), json.writeValueAsString(payloadText));
    }
}
