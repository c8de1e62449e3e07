package com.onlinedukan.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.api.async.RedisStreamAsyncCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStreamCommands.TrimOptions;
import org.springframework.data.redis.connection.RedisStreamCommands.XTrimOptions;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.PendingMessagesSummary;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The Redis commands the outbox stream's subscribers and its trimming need, one method each,
 * with typed answers. Non-blocking commands go over the shared connection; blocking reads over
 * a {@link #dedicatedConnection() connection of the reader's own}.
 */
@Component
class RedisStream {

    private static final Logger log = LoggerFactory.getLogger(RedisStream.class);
    private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(10);

    private final RedisConnectionFactory connections;
    private final StringRedisTemplate redis;
    private final String key;
    private final byte[] rawKey;

    RedisStream(RedisConnectionFactory connections, StringRedisTemplate redis, StreamProperties properties) {
        this.connections = connections;
        this.redis = redis;
        this.key = properties.stream();
        this.rawKey = bytes(key);
    }

    String key() {
        return key;
    }

    /** What a group has read and not acknowledged, and how far it has read. */
    record GroupProgress(String name, long pending, StreamId lastDelivered) {
    }

    /** One XAUTOCLAIM page: the entries taken over and the cursor to go on from ({@code 0-0}: done). */
    record Claimed(String next, List<StreamEntry> entries) {
    }

    /** XGROUP CREATE at the stream's start, creating the stream too; a group that exists is left as it is. */
    void createGroup(String group) {
        try {
            redis.execute((RedisCallback<Object>) c -> c.streamCommands()
                    .xGroupCreate(rawKey, group, ReadOffset.from("0"), true));
        }
        catch (RuntimeException e) {
            if (!RedisErrors.groupExists(e)) {
                throw e;
            }
        }
    }

    /**
     * A connection for one reader, kept while it reads: Spring Data Redis runs a blocking
     * XREADGROUP on the connection's dedicated Lettuce connection, never on the shared one, and
     * allocates it once per connection rather than per read.
     */
    RedisConnection dedicatedConnection() {
        return connections.getConnection();
    }

    /** XREADGROUP ... BLOCK ... STREAMS key {@code >}: entries nobody in the group has read yet. */
    List<StreamEntry> readNew(RedisConnection connection, String group, String consumer, int count, Duration block) {
        return read(connection, group, consumer, StreamReadOptions.empty().count(count).block(block),
                ReadOffset.lastConsumed());
    }

    /** XREADGROUP ... STREAMS key 0: what this consumer read before and has not acknowledged. */
    List<StreamEntry> readOwnPending(RedisConnection connection, String group, String consumer, int count) {
        return read(connection, group, consumer, StreamReadOptions.empty().count(count), ReadOffset.from("0"));
    }

    private List<StreamEntry> read(RedisConnection connection, String group, String consumer,
            StreamReadOptions options, ReadOffset offset) {
        List<ByteRecord> records = connection.streamCommands().xReadGroup(Consumer.from(group, consumer), options,
                StreamOffset.create(rawKey, offset));
        if (records == null || records.isEmpty()) {
            return List.of();
        }
        List<StreamEntry> entries = new ArrayList<>(records.size());
        for (ByteRecord record : records) {
            entries.add(entry(record.getId().getValue(), record.getValue()));
        }
        return entries;
    }

    /** One XACK for the whole batch. */
    void acknowledge(String group, List<String> ids) {
        if (!ids.isEmpty()) {
            redis.opsForStream().acknowledge(key, group, ids.toArray(String[]::new));
        }
    }

    /**
     * XAUTOCLAIM (Redis 6.2+), which Spring Data Redis does not wrap; Lettuce does, with a typed
     * reply. Entries that were deleted while pending come back without fields.
     */
    @SuppressWarnings("unchecked")
    Claimed autoClaim(String group, String consumer, Duration minIdle, String cursor, int count) {
        ClaimedMessages<byte[], byte[]> claimed = redis.execute((RedisCallback<ClaimedMessages<byte[], byte[]>>) c -> {
            var commands = (RedisStreamAsyncCommands<byte[], byte[]>) c.getNativeConnection();
            try {
                return commands.xautoclaim(rawKey, XAutoClaimArgs.Builder
                        .xautoclaim(io.lettuce.core.Consumer.from(bytes(group), bytes(consumer)), minIdle, cursor)
                        .count(count)).get(CLAIM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RedisSystemException("interrupted while claiming idle entries", e);
            }
            catch (ExecutionException e) {
                throw new RedisSystemException("XAUTOCLAIM failed: " + RedisErrors.rootMessage(e), e.getCause());
            }
            catch (TimeoutException e) {
                throw new RedisSystemException("XAUTOCLAIM got no answer in " + CLAIM_TIMEOUT, e);
            }
        });
        List<StreamEntry> entries = new ArrayList<>();
        for (StreamMessage<byte[], byte[]> message : claimed.getMessages()) {
            entries.add(entry(message.getId(), message.getBody()));
        }
        return new Claimed(claimed.getId(), entries);
    }

    /**
     * Removes the group's other consumers idle for longer than {@code expiry} with nothing
     * pending. Every instance joins under a name of its own, so dead and replaced ones would pile
     * up; a live one removed by mistake is created again by its next read.
     */
    void forgetExpiredConsumers(String group, String self, Duration expiry) {
        for (var other : redis.opsForStream().consumers(key, group)) {
            if (!other.consumerName().equals(self) && other.pendingCount() == 0
                    && other.idleTime().compareTo(expiry) > 0) {
                redis.opsForStream().deleteConsumer(key, Consumer.from(group, other.consumerName()));
                log.info("Removed consumer '{}' from group '{}' of stream '{}': idle for {} with nothing pending",
                        other.consumerName(), group, key, other.idleTime());
            }
        }
    }

    /** XGROUP DELCONSUMER, only if nothing is pending with the consumer (deleting it would drop its entries). */
    boolean leave(String group, String consumer) {
        PendingMessagesSummary pending = redis.opsForStream().pending(key, group);
        if (pending.getPendingMessagesPerConsumer().getOrDefault(consumer, 0L) > 0) {
            return false;
        }
        redis.opsForStream().deleteConsumer(key, Consumer.from(group, consumer));
        return true;
    }

    /** XINFO GROUPS; none when the stream does not exist. */
    List<GroupProgress> groups() {
        try {
            List<GroupProgress> groups = new ArrayList<>();
            redis.opsForStream().groups(key).forEach(group -> groups.add(new GroupProgress(group.groupName(),
                    group.pendingCount(), StreamId.parse(group.lastDeliveredId()))));
            return groups;
        }
        catch (RuntimeException e) {
            if (RedisErrors.noSuchKey(e)) {
                return List.of();
            }
            throw e;
        }
    }

    /** XINFO CONSUMERS; none when Redis has neither the stream nor the group. */
    List<GroupConsumer> consumers(String group) {
        try {
            List<GroupConsumer> consumers = new ArrayList<>();
            redis.opsForStream().consumers(key, group).forEach(consumer -> consumers.add(new GroupConsumer(
                    consumer.consumerName(), consumer.pendingCount(), consumer.idleTime().toMillis() / 1000.0)));
            return consumers;
        }
        catch (RuntimeException e) {
            if (RedisErrors.noSuchKey(e) || RedisErrors.noGroup(e)) {
                return List.of();
            }
            throw e;
        }
    }

    /** The smallest id the group has read and not acknowledged (XPENDING summary). */
    Optional<StreamId> oldestPending(String group) {
        PendingMessagesSummary summary = redis.opsForStream().pending(key, group);
        if (summary.getTotalPendingMessages() == 0 || summary.minMessageId() == null) {
            return Optional.empty();
        }
        return Optional.of(StreamId.parse(summary.minMessageId()));
    }

    /** The group's pending count; zero when Redis has neither the stream nor the group. */
    long pending(String group) {
        try {
            return redis.opsForStream().pending(key, group).getTotalPendingMessages();
        }
        catch (RuntimeException e) {
            if (RedisErrors.noGroup(e)) {
                return 0;
            }
            throw e;
        }
    }

    /** XLEN; zero when the stream does not exist. */
    long length() {
        Long length = redis.opsForStream().size(key);
        return length == null ? 0 : length;
    }

    /** XTRIM MINID = id (exact): removes every entry before {@code id}. */
    long trimBefore(StreamId id) {
        Long removed = redis.execute((RedisCallback<Long>) c -> c.streamCommands()
                .xTrim(rawKey, XTrimOptions.trim(TrimOptions.minId(RecordId.of(id.toString())).exact())));
        return removed == null ? 0 : removed;
    }

    /** The entry as text for reading and as its bytes for keeping: nothing Redis holds is lost on the way. */
    private static StreamEntry entry(String id, Map<byte[], byte[]> raw) {
        List<byte[]> bytes = new ArrayList<>(raw == null ? 0 : raw.size() * 2);
        if (raw != null) {
            raw.forEach((name, value) -> {
                bytes.add(name);
                bytes.add(value);
            });
        }
        return new StreamEntry(id, text(raw), EntryBytes.of(bytes));
    }

    private static Map<String, String> text(Map<byte[], byte[]> raw) {
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        raw.forEach((name, value) -> fields.put(text(name), text(value)));
        return fields;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] raw) {
        return raw == null ? "" : new String(raw, StandardCharsets.UTF_8);
    }
}
