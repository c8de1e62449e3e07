package com.onlinedukan.stream;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.connection.RedisConnection;

/**
 * One {@link Subscriber} reading the stream on a thread of its own: a batch at a time, handed to
 * the handler whole and acknowledged with one XACK when the handler returns. A handler that
 * throws gets nothing acknowledged and, after a pause, this consumer's pending entries again
 * before any new one. Every half {@code claimIdle} it also takes over what other consumers left
 * pending that long, and forgets consumers expired with nothing pending.
 */
final class GroupReader implements StreamSubscription {

    private static final Logger log = LoggerFactory.getLogger(GroupReader.class);
    private static final Duration BLOCK = Duration.ofSeconds(1);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    private static final Duration QUIET_BEFORE_BACKOFF_RESET = Duration.ofSeconds(30);
    private static final Duration MIN_CLAIM_INTERVAL = Duration.ofMillis(100);

    private final RedisStream redis;
    private final Subscriber subscriber;
    private final Consumer<GroupReader> whenClosed;
    private final Duration claimInterval;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Backoff readBackoff = new Backoff(QUIET_BEFORE_BACKOFF_RESET);
    private final Backoff handlerBackoff = new Backoff(Duration.ofDays(1));

    // Confined to the reading thread.
    private RedisConnection connection;
    private boolean ownPendingFirst = true;
    private long nextClaim = System.nanoTime();

    GroupReader(RedisStream redis, Subscriber subscriber, Consumer<GroupReader> whenClosed) {
        this.redis = redis;
        this.subscriber = subscriber;
        this.whenClosed = whenClosed;
        Duration half = subscriber.claimIdle().dividedBy(2);
        this.claimInterval = half.compareTo(MIN_CLAIM_INTERVAL) < 0 ? MIN_CLAIM_INTERVAL : half;
        this.thread = new Thread(this::run, "stream-" + subscriber.group());
        this.thread.setDaemon(true);
    }

    void start() {
        try {
            redis.createGroup(subscriber.group());
        }
        catch (RuntimeException e) {
            log.warn("Could not create consumer group '{}' on stream '{}' yet ({}); the reader keeps trying",
                    subscriber.group(), redis.key(), RedisErrors.rootMessage(e));
        }
        thread.start();
    }

    private void run() {
        try {
            while (!isClosing()) {
                try {
                    step();
                }
                catch (RuntimeException e) {
                    readFailed(e);
                }
            }
        }
        finally {
            disconnect();
        }
    }

    private void step() {
        if (System.nanoTime() - nextClaim >= 0) {
            reclaim();
            redis.forgetExpiredConsumers(subscriber.group(), subscriber.consumer(), subscriber.consumerExpiry());
            nextClaim = System.nanoTime() + claimInterval.toNanos();
        }
        if (connection == null) {
            connection = redis.dedicatedConnection();
        }
        if (ownPendingFirst) {
            List<StreamEntry> pending = redis.readOwnPending(connection, subscriber.group(), subscriber.consumer(),
                    subscriber.batchSize());
            ownPendingFirst = !pending.isEmpty();
            deliver(pending);
        }
        else {
            deliver(redis.readNew(connection, subscriber.group(), subscriber.consumer(), subscriber.batchSize(),
                    BLOCK));
        }
    }

    /** Takes over, page by page, what other consumers (dead ones) left pending for {@code claimIdle}. */
    private void reclaim() {
        String cursor = "0-0";
        do {
            RedisStream.Claimed claimed = redis.autoClaim(subscriber.group(), subscriber.consumer(),
                    subscriber.claimIdle(), cursor, subscriber.batchSize());
            if (!claimed.entries().isEmpty()) {
                log.warn("Consumer '{}' took over {} entries of stream '{}' idle for over {}", subscriber.consumer(),
                        claimed.entries().size(), redis.key(), subscriber.claimIdle());
                if (!deliver(claimed.entries())) {
                    return; // they are pending with this consumer now, and come first again
                }
            }
            cursor = claimed.next();
        }
        while (!"0-0".equals(cursor) && !isClosing());
    }

    /**
     * Hands the batch over and acknowledges it whole. Entries deleted from the stream while
     * pending (they come back without fields) are only acknowledged: there is nothing to hand over.
     *
     * @return whether the handler took the batch
     */
    private boolean deliver(List<StreamEntry> batch) {
        if (batch.isEmpty()) {
            return true;
        }
        List<StreamEntry> present = batch.stream().filter(entry -> !entry.fields().isEmpty()).toList();
        if (present.size() < batch.size()) {
            log.warn("{} entries pending in group '{}' were deleted from stream '{}'; acknowledging them",
                    batch.size() - present.size(), subscriber.group(), redis.key());
        }
        if (!present.isEmpty()) {
            try {
                subscriber.handler().accept(present);
            }
            catch (RuntimeException e) {
                ownPendingFirst = true;
                Duration pause = handlerBackoff.next();
                log.warn("Subscriber '{}' of group '{}' failed on {} entries ({}); they come again in {} ms",
                        subscriber.consumer(), subscriber.group(), present.size(), e.toString(), pause.toMillis());
                pause(pause);
                return false;
            }
            handlerBackoff.reset();
        }
        redis.acknowledge(subscriber.group(), batch.stream().map(StreamEntry::id).toList());
        return true;
    }

    private void readFailed(RuntimeException error) {
        if (RedisErrors.noGroup(error)) {
            // Redis lost the stream or the group (restart without persistence, flush, failover).
            log.warn("Consumer group '{}' of stream '{}' is gone from Redis; creating it again", subscriber.group(),
                    redis.key());
            try {
                redis.createGroup(subscriber.group());
                ownPendingFirst = true;
                return;
            }
            catch (RuntimeException e) {
                error = e;
            }
        }
        disconnect();
        Duration pause = readBackoff.next();
        log.warn("Reading stream '{}' as '{}' failed: {}; trying again in {} ms", redis.key(), subscriber.consumer(),
                RedisErrors.rootMessage(error), pause.toMillis());
        pause(pause);
    }

    private void pause(Duration pause) {
        try {
            closing.await(pause.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing.countDown();
        }
    }

    private boolean isClosing() {
        return closing.getCount() == 0;
    }

    private void disconnect() {
        RedisConnection open = connection;
        connection = null;
        if (open != null) {
            try {
                open.close();
            }
            catch (RuntimeException e) {
                log.debug("Closing a reader's Redis connection failed: {}", e.getMessage());
            }
        }
    }

    /** Stops reading; returns once the batch in flight (if any) is handled, then leaves the group if nothing is pending. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        closing.countDown();
        try {
            if (Thread.currentThread() != thread) {
                thread.join(CLOSE_WAIT.toMillis());
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (thread.isAlive()) {
                log.warn("Subscriber '{}' of group '{}' is still reading or handling a batch after {}; leaving it running",
                        subscriber.consumer(), subscriber.group(), CLOSE_WAIT);
            }
            else if (!redis.leave(subscriber.group(), subscriber.consumer())) {
                log.info("Consumer '{}' stays in group '{}': entries are pending with it", subscriber.consumer(),
                        subscriber.group());
            }
        }
        catch (RuntimeException e) {
            log.debug("Consumer '{}' could not leave group '{}': {}", subscriber.consumer(), subscriber.group(),
                    RedisErrors.rootMessage(e));
        }
        finally {
            whenClosed.accept(this);
        }
    }
}
