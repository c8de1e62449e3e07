package com.onlinedukan.stream;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * Keeps the stream to what some consumer group still needs: removes (XTRIM MINID, exact) every
 * entry before the oldest one any group has not acknowledged. For a group with pending entries
 * that is its smallest pending id; for one without, the entry after the last it read. A slow
 * group holds trimming back for everyone; a stream without groups is left alone (nobody has read
 * it yet; the approximate MAXLEN of each XADD still caps it). Idempotent, so every subscribing
 * instance may run it.
 */
@Component
class StreamTrimmer {

    private final RedisStream redis;

    StreamTrimmer(RedisStream redis) {
        this.redis = redis;
    }

    /** Trims to the groups as XINFO GROUPS describes them; returns how many entries went. */
    long trim(List<RedisStream.GroupProgress> groups) {
        Optional<StreamId> oldestNeeded = groups.stream().map(this::oldestUnacknowledged).min(StreamId::compareTo);
        return oldestNeeded.map(redis::trimBefore).orElse(0L);
    }

    /**
     * Entries are read in id order, so everything up to the last delivered id is either pending
     * or acknowledged. If the pending ones were acknowledged between XINFO GROUPS and XPENDING,
     * the entry after the last delivered id is still a safe bound.
     */
    private StreamId oldestUnacknowledged(RedisStream.GroupProgress group) {
        StreamId afterLastDelivered = group.lastDelivered().next();
        if (group.pending() == 0) {
            return afterLastDelivered;
        }
        return redis.oldestPending(group.name()).orElse(afterLastDelivered);
    }
}
