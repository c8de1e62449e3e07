package com.onlinedukan.notification;

/**
 * The notifier's side of the pipeline.
 *
 * @param undelivered outbox order events that are neither delivered nor dead
 * @param oldestUndeliveredAgeSeconds age of the oldest of them (0 when there are none)
 * @param streamLength entries in the Redis Stream
 * @param streamPending entries read by a consumer and not yet acknowledged
 */
public record PipelineCounts(long undelivered, double oldestUndeliveredAgeSeconds, long streamLength,
        long streamPending, long pending, long retrying, long delivered, long dead) {
}
