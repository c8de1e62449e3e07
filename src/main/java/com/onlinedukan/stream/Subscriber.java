package com.onlinedukan.stream;

import java.time.Duration;

/**
 * A member of a consumer group of the outbox stream.
 *
 * @param group the consumer group (created at the stream's start if missing, also after Redis lost it)
 * @param consumer this instance's name in the group
 * @param batchSize the most entries handed over at once
 * @param claimIdle entries another consumer read and left unacknowledged this long are taken over (XAUTOCLAIM)
 * @param consumerExpiry another consumer idle this long with nothing pending is removed from the group
 * @param handler what receives the batches
 */
public record Subscriber(String group, String consumer, int batchSize, Duration claimIdle, Duration consumerExpiry,
        StreamConsumer handler) {
}
