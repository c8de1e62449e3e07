package com.onlinedukan.notification;

import java.time.Instant;

/**
 * One minute of deliveries, from the ledger (so the same on every instance): how many
 * notifications Telegram accepted in it, and how long they took from the order's commit.
 *
 * @param minute the minute's start
 * @param delivered notifications delivered in it (a replayed one counts in the minute of its last delivery)
 * @param delayP50Seconds median of commit → Telegram's answer; null when none was delivered
 * @param delayP99Seconds 99th percentile of the same; null when none was delivered
 */
@org.springframework.modulith.NamedInterface("reads")
public record DeliveredMinute(Instant minute, long delivered, Double delayP50Seconds, Double delayP99Seconds) {
}
