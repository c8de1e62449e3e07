package com.onlinedukan.stream;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** One entry of the outbox stream as a subscriber receives it: its id and its fields, unparsed. */
public record StreamEntry(String id, Map<String, String> fields) {

    /**
     * The outbox event this entry points at, whichever relay wrote it: the embedded relay's
     * {@code eventId} field, or the event id Debezium Server's Redis sink writes for the outbox
     * event router (see {@link SinkEntryLayout}). Fields it does not know are ignored. Empty when
     * no event id is readable.
     */
    public Optional<UUID> eventId() {
        return SinkEntryLayout.eventId(fields);
    }
}
