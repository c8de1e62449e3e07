package com.onlinedukan.stream;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.onlinedukan.support.DebeziumServerSink;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A stream entry names its outbox event whichever relay wrote it, and only then. */
class StreamEntryTests {

    final UUID eventId = UUID.randomUUID();

    @Test
    void theEmbeddedRelaysEntryNamesItsEventAndExtraFieldsAreIgnored() {
        Map<String, String> fields = new LinkedHashMap<>(Map.of("eventId", eventId.toString(), "type", "OrderPlaced"));
        fields.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(new StreamEntry("1-0", fields).eventId()).contains(eventId);
    }

    @Test
    void debeziumServersExtendedEntryNamesItsEventByTheRoutersIdHeader() {
        Map<String, String> fields = DebeziumServerSink.extended(eventId, UUID.randomUUID().toString(), "{\"a\": 1}");
        assertThat(new StreamEntry("1-0", fields).eventId()).contains(eventId);
    }

    @Test
    void theIdHeaderIsReadWithOrWithoutTheJsonConvertersSchemaEnvelope() {
        String withSchema = "{\"schema\":{\"type\":\"string\",\"optional\":false,\"name\":\"io.debezium.data.Uuid\","
                + "\"version\":1},\"payload\":\"" + eventId + "\"}";
        assertThat(new StreamEntry("1-0", Map.of("ID", withSchema)).eventId()).contains(eventId);
        assertThat(new StreamEntry("1-0", Map.of("ID", eventId.toString())).eventId()).contains(eventId);
    }

    @Test
    void anEntryWithoutAReadableEventIdNamesNone() {
        assertThat(new StreamEntry("1-0", DebeziumServerSink.compact("order-1", "{}")).eventId()).isEmpty();
        assertThat(new StreamEntry("1-0", Map.of("ID", "\"not-a-uuid\"")).eventId()).isEmpty();
        assertThat(new StreamEntry("1-0", Map.of("ID", "{\"payload\": 42}")).eventId()).isEmpty();
        assertThat(new StreamEntry("1-0", Map.of("ID", "{broken")).eventId()).isEmpty();
        assertThat(new StreamEntry("1-0", Map.of("eventId", "not-a-uuid")).eventId()).isEmpty();
    }
}
