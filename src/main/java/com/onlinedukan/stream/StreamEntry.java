package com.onlinedukan.stream;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One entry of the outbox stream as a subscriber receives it: its id, its fields as text (bytes
 * that are not UTF-8 read as U+FFFD) and the same fields as the bytes Redis holds, unparsed.
 */
public record StreamEntry(String id, Map<String, String> fields, EntryBytes bytes) {

    /** An entry whose fields are text: their bytes are their UTF-8. */
    public StreamEntry(String id, Map<String, String> fields) {
        this(id, fields, EntryBytes.of(fields));
    }

    /**
     * The outbox event this entry points at, whichever relay wrote it: the embedded relay's
     * {@code eventId} field, or the event id Debezium Server's Redis sink writes for the outbox
     * event router (see {@link SinkEntryLayout}). Fields it does not know are ignored. Empty when
     * no event id is readable, whatever the fields hold.
     */
    public Optional<UUID> eventId() {
        try {
            return SinkEntryLayout.eventId(fields);
        }
        catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
