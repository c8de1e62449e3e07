package com.onlinedukan.notification;

import java.time.Instant;

/**
 * A stream entry the inbox refused (no readable event id, an id the outbox does not have, an order
 * event naming no order): kept with the reason, acknowledged, never sent. Its exact bytes stay in
 * {@code stream_poison.raw}; this view carries a readable rendering of them.
 *
 * @param streamEntryId its id in the Redis Stream
 * @param fields its fields as text (NUL and other control characters as {@code \\uXXXX}, bytes that
 *     are not UTF-8 as U+FFFD), cut to {@value #MAX_FIELDS} characters
 */
@org.springframework.modulith.NamedInterface("reads")
public record PoisonEntry(long id, String streamEntryId, String fields, String reason, Instant at) {

    /** The most characters of an entry's fields shown; whoever can write to Redis chooses their length. */
    public static final int MAX_FIELDS = 2000;
}
