/**
 * Debezium embedded engine reading the outbox inserts from the WAL and publishing each one to
 * the Redis Stream, on the cluster's leader; its offsets, in PostgreSQL, advance only after Redis
 * has the event.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Relay", allowedDependencies = { "outbox", "stream", "cluster" })
package com.onlinedukan.relay;
