package com.onlinedukan.stream;

import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * XADDs a batch of events to the outbox stream in one round trip. Returns only once Redis has
 * answered for every entry; an exception means none may be assumed published.
 */
@Component
public class StreamPublisher {

    private final StringRedisTemplate redis;
    private final String stream;
    private final XAddOptions trimming;
    private final Counter published;

    StreamPublisher(StringRedisTemplate redis, StreamProperties properties, MeterRegistry meters) {
        this.redis = redis;
        this.stream = properties.stream();
        this.trimming = XAddOptions.maxlen(properties.streamMaxLength()).approximateTrimming(true);
        this.published = Counter.builder("dukan.relay.events.published")
                .description("Outbox events the relay published to the Redis Stream")
                .register(meters);
    }

    /** The key of the stream this publishes to ({@code dukan.relay.stream}). */
    public String key() {
        return stream;
    }

    public void publish(List<RelayedEvent> events) throws DataAccessException {
        if (events.isEmpty()) {
            return;
        }
        redis.executePipelined(new SessionCallback<Object>() {
            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            public Object execute(RedisOperations operations) {
                for (RelayedEvent event : events) {
                    operations.opsForStream().add(
                            StreamRecords.newRecord().in(stream).ofMap(event.toFields()), trimming);
                }
                return null;
            }
        });
        published.increment(events.size());
    }
}
