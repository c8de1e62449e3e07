package com.onlinedukan.stream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import jakarta.annotation.PreDestroy;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * The Redis Stream outbox events travel on, owned whole by this module: the relay publishes to
 * it; subscribers read it through a consumer group, and what they acknowledge is trimmed.
 */
@Component
public class OutboxStream {

    private static final Logger log = LoggerFactory.getLogger(OutboxStream.class);

    private final String key;
    private final RedisStream redis;
    private final StreamTrimmer trimmer;
    private final MeterRegistry meters;
    private final Duration trimInterval;
    private final Set<GroupReader> readers = ConcurrentHashMap.newKeySet();
    private final AtomicLong length = new AtomicLong();
    private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();
    private ScheduledExecutorService upkeep;
    private volatile boolean upkeepFailing;

    OutboxStream(StreamProperties properties, RedisStream redis, StreamTrimmer trimmer,
            MeterRegistry meters) {
        this.key = properties.stream();
        this.redis = redis;
        this.trimmer = trimmer;
        this.meters = meters;
        this.trimInterval = properties.trimInterval();
        Gauge.builder("dukan.stream.length", length, AtomicLong::get)
                .description("Entries in the outbox stream, as last read by the stream's upkeep")
                .register(meters);
    }

    public String key() {
        return key;
    }

    /** Joins the subscriber's consumer group and hands it batches until the subscription is closed. */
    public StreamSubscription subscribe(Subscriber subscriber) {
        Assert.hasText(subscriber.group(), "a subscriber needs a group");
        Assert.hasText(subscriber.consumer(), "a subscriber needs a consumer name");
        Assert.isTrue(subscriber.batchSize() > 0, "a subscriber's batch size must be positive");
        Assert.isTrue(positive(subscriber.claimIdle()), "a subscriber's claim idle time must be positive");
        Assert.isTrue(positive(subscriber.consumerExpiry()), "a subscriber's consumer expiry must be positive");
        Assert.notNull(subscriber.handler(), "a subscriber needs a handler");
        pending.computeIfAbsent(subscriber.group(), group -> {
            AtomicLong count = new AtomicLong();
            Gauge.builder("dukan.stream.pending", count, AtomicLong::get).tag("group", group)
                    .description("Outbox stream entries the group has read and not acknowledged")
                    .register(meters);
            return count;
        });
        GroupReader reader = new GroupReader(redis, subscriber, readers::remove);
        readers.add(reader);
        startUpkeep();
        reader.start();
        log.info("Reading stream '{}' as '{}' in group '{}'", key, subscriber.consumer(), subscriber.group());
        return reader;
    }

    /** The stream's length and what the group has read but not acknowledged; zeros when Redis has neither. */
    public StreamDepth depth(String group) {
        return new StreamDepth(redis.length(), redis.pending(group));
    }

    /** The group's consumers with what each has pending and how long it has been idle; none when Redis has no group. */
    public List<GroupConsumer> consumers(String group) {
        return redis.consumers(group);
    }

    private static boolean positive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }

    private synchronized void startUpkeep() {
        if (upkeep == null) {
            upkeep = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "stream-upkeep");
                thread.setDaemon(true);
                return thread;
            });
            upkeep.scheduleWithFixedDelay(this::upkeep, trimInterval.toMillis(), trimInterval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Trims what every group acknowledged and refreshes the gauges, while this instance subscribes. */
    void upkeep() {
        if (readers.isEmpty()) {
            return;
        }
        try {
            List<RedisStream.GroupProgress> groups = redis.groups();
            trimmer.trim(groups);
            length.set(redis.length());
            pending.forEach((group, count) -> count.set(groups.stream().filter(g -> g.name().equals(group))
                    .mapToLong(RedisStream.GroupProgress::pending).sum()));
            if (upkeepFailing) {
                upkeepFailing = false;
                log.info("Trimming stream '{}' works again", key);
            }
        }
        catch (RuntimeException e) {
            if (!upkeepFailing) {
                upkeepFailing = true;
                log.warn("Trimming stream '{}' failed: {}; trying again every {}", key,
                        RedisErrors.rootMessage(e), trimInterval);
            }
        }
    }

    /** Closes the subscriptions still open (their owners normally close them first) and stops the upkeep. */
    @PreDestroy
    void destroy() {
        readers.forEach(GroupReader::close);
        synchronized (this) {
            if (upkeep != null) {
                upkeep.shutdown();
                try {
                    upkeep.awaitTermination(5, TimeUnit.SECONDS);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                upkeep.shutdownNow();
                upkeep = null;
            }
        }
    }
}
