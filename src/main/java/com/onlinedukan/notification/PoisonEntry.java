package com.onlinedukan.notification;

import java.time.Instant;

/**
 * A stream entry the inbox refused (no readable event id, an id the outbox does not have, an order
 * event naming no order): kept with the reason, acknowledged, never sent.
 *
 * @param streamEntryId its id in the Redis Stream
 * @param fields its fields as they arrived, cut to {@value #MAX_FIELDS} characters
 */
@org.springframework.modulith.NamedInterface("reads")
public record PoisonEntry(long id, String streamEntryId, String fields, String reason, Instant at) {

    /** The most characters of an entry's fields shown; whoever can write to Redis chooses their length. */
    public static final int MAX_FIELDS = 2000;
}
