package com.onlinedukan.notification;

import com.onlinedukan.stream.StreamDepth;

/**
 * The notifier's side of the pipeline.
 *
 * @param backlog order events neither delivered nor dead, and the age of the oldest
 * @param stream the Redis Stream's length and the group's unacknowledged entries
 * @param ledger notifications by status
 */
@org.springframework.modulith.NamedInterface("reads")
public record PipelineCounts(Backlog backlog, StreamDepth stream, Ledger ledger) {

    /** @param oldestAgeSeconds age of the oldest undelivered event (0 when there is none) */
    @org.springframework.modulith.NamedInterface("reads")
    public record Backlog(long undelivered, double oldestAgeSeconds) {
    }

    @org.springframework.modulith.NamedInterface("reads")
    public record Ledger(long pending, long retrying, long delivered, long dead) {
    }
}
