package com.onlinedukan.notification;

import java.time.Duration;
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
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.stream.StreamMessageListenerContainer;
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

    private final RedisConnectionFactory connections;
    private final StringRedisTemplate redis;
    private final OutboxStream stream;
    private final Delivery delivery;
    private final Dispatcher dispatcher;
    private final String group;
    private final String consumer;
    private volatile StreamMessageListenerContainer<String, MapRecord<String, String, String>> container;

    StreamInbox(RedisConnectionFactory connections, StringRedisTemplate redis, OutboxStream stream, Delivery delivery,
            Dispatcher dispatcher, NotificationProperties properties, NotifierIdentity identity) {
        this.connections = connections;
        this.redis = redis;
        this.stream = stream;
        this.delivery = delivery;
        this.dispatcher = dispatcher;
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
        container.register(StreamReadRequest.builder(StreamOffset.create(stream.key(), ReadOffset.lastConsumed()))
                .consumer(Consumer.from(group, consumer))
                .autoAcknowledge(false)
                .cancelOnError(error -> false)
                .errorHandler(this::readFailed)
                .build(), this::receive);
        container.start();
        log.info("Reading stream '{}' as '{}' in group '{}'", stream.key(), consumer, group);
    }

    private void receive(MapRecord<String, String, String> entry) {
        RelayedEvent event;
        try {
            event = RelayedEvent.fromFields(entry.getValue());
        }
        catch (IllegalArgumentException | DateTimeParseException e) {
            log.error("Stream entry {} is not an outbox event ({}); acknowledged and skipped", entry.getId(),
                    e.getMessage());
            acknowledge(entry);
            return;
        }
        if (delivery.register(event)) {
            dispatcher.wakeUp();
        }
        acknowledge(entry);
    }

    private void acknowledge(MapRecord<String, String, String> entry) {
        redis.opsForStream().acknowledge(stream.key(), group, entry.getId());
    }

    private void readFailed(Throwable error) {
        if (String.valueOf(error.getMessage()).contains("NOGROUP")) {
            // Redis lost the stream or the group (restart without persistence, failover): recreate it.
            log.warn("Consumer group '{}' is gone from Redis; creating it again", group);
            ensureGroup();
            return;
        }
        log.warn("Reading the outbox stream failed: {}", error.getMessage());
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

    @Override
    public void stop() {
        var running = container;
        if (running != null) {
            running.stop();
        }
        container = null;
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
