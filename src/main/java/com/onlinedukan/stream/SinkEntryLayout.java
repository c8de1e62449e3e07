package com.onlinedukan.stream;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where a stream entry keeps its event id. The embedded relay writes {@code eventId}. Debezium
 * Server's Redis sink, in its {@code extended} message format, writes the record's key as
 * {@code key}, its value as {@code value}, and each record header as a field named in upper case;
 * the outbox event router always puts the outbox row's {@code id} in a header {@code id}, so the
 * event id arrives as {@code ID}. Its text is what the header converter made of it: a JSON string
 * with {@code schemas.enable=false} (as {@code debezium-server/application.properties} configures),
 * or the JSON converter's {@code {"schema": …, "payload": "…"}} envelope with schemas on. The
 * {@code compact} format writes only {@code key: value} and carries no event id: its entries are poison.
 */
final class SinkEntryLayout {

    static final String RELAY_EVENT_ID = RelayedEvent.EVENT_ID;
    /** The outbox event router's {@code id} header, as the extended format names it. */
    static final String SINK_EVENT_ID = "ID";
    /** Longer than any event id with its JSON envelope: not parsed at all (whoever writes to Redis picks the length). */
    static final int MAX_EVENT_ID_TEXT = 4096;

    private SinkEntryLayout() {
    }

    static Optional<UUID> eventId(Map<String, String> fields) {
        String raw = fields.get(RELAY_EVENT_ID);
        if (raw == null) {
            raw = fields.get(SINK_EVENT_ID);
        }
        return raw == null || raw.length() > MAX_EVENT_ID_TEXT ? Optional.empty() : uuid(raw.trim());
    }

    private static Optional<UUID> uuid(String raw) {
        String text = raw;
        if (raw.startsWith("\"") || raw.startsWith("{")) {
            try {
                JsonNode node = JsonMapper.shared().readTree(raw);
                if (node.isObject()) {
                    node = node.path("payload");
                }
                if (!node.isString()) {
                    return Optional.empty();
                }
                text = node.stringValue();
            }
            catch (JacksonException e) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(UUID.fromString(text));
        }
        catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
