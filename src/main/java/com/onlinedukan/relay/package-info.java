/**
 * Debezium embedded engine reading the outbox inserts from the WAL and publishing each one to
 * the Redis Stream; its offsets, in PostgreSQL, advance only after Redis has the event. Owns the
 * stream whole: subscribers read it in batches through {@link com.onlinedukan.relay.OutboxStream},
 * and what every group acknowledged is trimmed.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Relay", allowedDependencies = "outbox")
package com.onlinedukan.relay;
