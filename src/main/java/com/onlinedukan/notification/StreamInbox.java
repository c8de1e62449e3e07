package com.onlinedukan.notification;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.api.async.RedisStreamAsyncCommands;
import java.time.format.DateTimeParseException;

import com.onlinedukan.relay.OutboxStream;
import com.onlinedukan.relay.RelayedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.stream.StreamMessageListenerContainer;
import org.springframework.data.redis.stream.Subscription;
import org.springframework.data.redis.stream.StreamMessageListenerContainer.StreamMessageListenerContainerOptions;
import org.springframework.data.redis.stream.StreamMessageListenerContainer.StreamReadRequest;
import org.springframework.stereotype.Component;

/**
 * Reads the outbox stream as a member of the notifier consumer group and registers each event
 * in the delivery ledger, then wakes the {@link Dispatcher}. An entry is acknowledged only after
 * the ledger has it, so an instance that dies in between leaves it pending in the group; from the
 * ledger on, the event is PostgreSQL's to keep.
 */
@Component
class StreamInbox implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamInbox.class);
    private static final Duration MIN_READ_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_READ_BACKOFF = Duration.ofSeconds(5);
    private static final Duration QUIET_BEFORE_BACKOFF_RESET = Duration.ofSeconds(30);

    private final RedisConnectionFactory connections;
    private final StringRedisTemplate redis;
    private final OutboxStream stream;
    private final Delivery delivery;
    private final Dispatcher dispatcher;
    private final DeliveryLedger ledger;
    private final Duration claimIdle;
    private final Duration consumerExpiry;
    private final String group;
    private final String consumer;
    private volatile StreamMessageListenerContainer<String, MapRecord<String, String, String>> container;
    private volatile Subscription subscription;
    private volatile Duration readBackoff = Duration.ZERO;
    private volatile long lastReadFailureNanos = System.nanoTime();

    StreamInbox(RedisConnectionFactory connections, StringRedisTemplate redis, OutboxStream stream, Delivery delivery,
            Dispatcher dispatcher, DeliveryLedger ledger, NotificationProperties properties,
            NotifierIdentity identity) {
        this.connections = connections;
        this.redis = redis;
        this.stream = stream;
        this.delivery = delivery;
        this.dispatcher = dispatcher;
        this.ledger = ledger;
        this.claimIdle = properties.claimIdle();
        this.consumerExpiry = properties.consumerExpiry();
        this.group = properties.consumerGroup();
        this.consumer = identity.name();
    }

    @Override
    public void start() {
        ensureGroup();
        var options = StreamMessageListenerContainerOptions.builder()
                .pollTimeout(Duration.ofSeconds(1))
                .batchSize(50)
                .executor(new SimpleAsyncTaskExecutor("stream-inbox-"))
                .build();
        container = StreamMessageListenerContainer.create(connections, options);
        subscription = container.register(StreamReadRequest.builder(StreamOffset.create(stream.key(), ReadOffset.lastConsumed()))
                .consumer(Consumer.from(group, consumer))
                .autoAcknowledge(false)
                .cancelOnError(error -> false)
                .errorHandler(this::readFailed)
                .build(), this::receive);
        container.start();
        log.info("Reading stream '{}' as '{}' in group '{}'", stream.key(), consumer, group);
    }

    private void receive(MapRecord<String, String, String> entry) {
        readBackoff = Duration.ZERO;
        RelayedEvent event;
        try {
            event = RelayedEvent.fromFields(entry.getValue());
        }
        catch (IllegalArgumentException | DateTimeParseException e) {
            log.error("Stream entry {} is not an outbox event ({}); dead-lettered", entry.getId(), e.getMessage());
            ledger.poison(entry.getId().getValue(), String.valueOf(entry.getValue()), String.valueOf(e.getMessage()));
            acknowledge(entry);
            return;
        }
        if (delivery.register(event)) {
            dispatcher.wakeUp();
        }
        acknowledge(entry);
    }

    /**
     * Takes over entries another consumer read but never acknowledged for {@code claim-idle}
     * (it died between reading and registering them) and registers them here.
     */
    @Scheduled(fixedDelayString = "${dukan.notification.claim-idle:60s}", initialDelayString = "5s")
    void reclaimFromDeadConsumers() {
        if (container == null) {
            return;
        }
        try {
            String cursor = "0-0";
            do {
                AutoClaimed claimed = autoClaim(cursor);
                claimed.entries().forEach(this::receive);
                if (!claimed.entries().isEmpty()) {
                    log.warn("Reclaimed {} stream entries idle for over {}", claimed.entries().size(), claimIdle);
                }
                cursor = claimed.next();
            }
            while (!"0-0".equals(cursor));
            forgetExpiredConsumers();
        }
        catch (RuntimeException e) {
            log.warn("Reclaiming idle stream entries failed: {}", e.getMessage());
        }
    }

    /**
     * Every instance joins the group under a name of its own, so dead and replaced instances
     * would pile up in XINFO CONSUMERS. One idle for {@code consumer-expiry} with nothing pending
     * (whatever it had was reclaimed above) is removed; a live one that is removed by mistake
     * is simply created again by its next read.
     */
    private void forgetExpiredConsumers() {
        for (var other : redis.opsForStream().consumers(stream.key(), group)) {
            if (!other.consumerName().equals(consumer) && other.pendingCount() == 0
                    && other.idleTime().compareTo(consumerExpiry) > 0) {
                redis.opsForStream().deleteConsumer(stream.key(), Consumer.from(group, other.consumerName()));
                log.info("Removed consumer '{}' from group '{}': idle for {} with nothing pending",
                        other.consumerName(), group, other.idleTime());
            }
        }
    }

    private record AutoClaimed(String next, List<MapRecord<String, String, String>> entries) {
    }

    /** XAUTOCLAIM (Redis 6.2+), which Spring Data Redis does not wrap; Lettuce does. */
    @SuppressWarnings("unchecked")
    private AutoClaimed autoClaim(String cursor) {
        ClaimedMessages<byte[], byte[]> claimed = redis.execute((RedisCallback<ClaimedMessages<byte[], byte[]>>) c -> {
            var commands = (RedisStreamAsyncCommands<byte[], byte[]>) c.getNativeConnection();
            try {
                return commands.xautoclaim(bytes(stream.key()), XAutoClaimArgs.Builder
                        .xautoclaim(io.lettuce.core.Consumer.from(bytes(group), bytes(consumer)), claimIdle, cursor)
                        .count(100)).get(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while claiming idle entries", e);
            }
            catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("XAUTOCLAIM failed: " + e.getMessage(), e);
            }
        });
        List<MapRecord<String, String, String>> entries = new ArrayList<>();
        for (StreamMessage<byte[], byte[]> message : claimed.getMessages()) {
            Map<String, String> fields = new LinkedHashMap<>();
            message.getBody().forEach((k, v) -> fields.put(text(k), text(v)));
            entries.add(StreamRecords.newRecord().in(stream.key()).withId(RecordId.of(message.getId())).ofMap(fields));
        }
        return new AutoClaimed(claimed.getId(), entries);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] raw) {
        return new String(raw, StandardCharsets.UTF_8);
    }

    /** XLEN and the group's pending count; zeros when Redis has neither (after a restart without data). */
    long[] streamLengthAndPending() {
        Long length = redis.opsForStream().size(stream.key());
        long pending = 0;
        try {
            pending = redis.opsForStream().pending(stream.key(), group).getTotalPendingMessages();
        }
        catch (RuntimeException noGroupYet) {
            // NOGROUP: nothing is pending
        }
        return new long[] { length == null ? 0 : length, pending };
    }

    private void acknowledge(MapRecord<String, String, String> entry) {
        redis.opsForStream().acknowledge(stream.key(), group, entry.getId());
    }

    /**
     * Runs on the polling thread, which reads again as soon as this returns: a failing Redis is
     * retried with a growing pause (up to {@link #MAX_READ_BACKOFF}) instead of in a hot loop.
     */
    private void readFailed(Throwable error) {
        String reason = rootMessage(error);
        if (reason.contains("NOGROUP")) {
            // Redis lost the stream or the group (restart without persistence, failover): recreate it.
            log.warn("Consumer group '{}' is gone from Redis; creating it again", group);
            try {
                ensureGroup();
                readBackoff = Duration.ZERO;
                return;
            }
            catch (RuntimeException e) {
                reason = rootMessage(e);
            }
        }
        long now = System.nanoTime();
        if (now - lastReadFailureNanos > QUIET_BEFORE_BACKOFF_RESET.toNanos()) {
            readBackoff = Duration.ZERO; // a new outage, not the same one going on
        }
        lastReadFailureNanos = now;
        readBackoff = readBackoff.isZero() ? MIN_READ_BACKOFF
                : readBackoff.multipliedBy(2).compareTo(MAX_READ_BACKOFF) > 0 ? MAX_READ_BACKOFF : readBackoff.multipliedBy(2);
        log.warn("Reading the outbox stream failed: {}; trying again in {} ms", reason, readBackoff.toMillis());
        try {
            Thread.sleep(readBackoff.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return String.valueOf(cause.getMessage());
    }

    private void ensureGroup() {
        try {
            redis.execute(connection -> {
                connection.streamCommands().xGroupCreate(stream.key().getBytes(), group, ReadOffset.from("0"), true);
                return null;
            }, true);
        }
        catch (RedisSystemException e) {
            if (!String.valueOf(e.getMostSpecificCause().getMessage()).contains("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** Returns once no read is in flight, so nothing is taken from the stream after stop. */
    @Override
    public void stop() {
        var running = container;
        if (running != null) {
            running.stop();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (subscription != null && subscription.isActive() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            leaveGroup();
        }
        container = null;
    }

    /** On a clean stop nothing is pending with this consumer; then its name leaves the group. */
    private void leaveGroup() {
        try {
            long pending = redis.opsForStream().pending(stream.key(), Consumer.from(group, consumer)).size();
            if (pending == 0) {
                redis.opsForStream().deleteConsumer(stream.key(), Consumer.from(group, consumer));
            }
        }
        catch (RuntimeException e) {
            log.debug("Could not leave consumer group '{}': {}", group, e.getMessage());
        }
    }

    @Override
    public boolean isRunning() {
        return container != null;
    }

    /** Starts after the relay, stops before it. */
    @Override
    public int getPhase() {
        return 20;
    }
}
