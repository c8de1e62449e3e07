package com.onlinedukan.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * An event as the outbox table holds it: the source of truth for what a consumer does with it,
 * whatever a copy on the way (a stream entry) says.
 *
 * @param id the event id, its idempotency key all the way downstream
 * @param payload the event's JSON, as written in the transaction that placed it
 * @param createdAt when the writing transaction wrote it
 * @param trace the trace it was written in; null when it was written outside one
 */
public record OutboxEvent(UUID id, String aggregateType, String aggregateId, String type, String payload,
        Instant createdAt, EventTrace trace) {
}
