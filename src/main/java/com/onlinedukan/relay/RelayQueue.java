package com.onlinedukan.relay;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.debezium.connector.base.DefaultQueueProvider;
import io.debezium.connector.base.QueueProvider;
import io.debezium.pipeline.Sizeable;

/**
 * Debezium's in-memory queue between the WAL reader and the engine ({@code queue.provider.type}
 * {@value #NAME}), without the busy wait at the end of each poll. Debezium's
 * {@code ChangeEventQueue.poll} waits for events in whole milliseconds, and in the last millisecond
 * of its poll interval it has none left to wait, so it loops, holding the queue's lock, asking this
 * queue for its size until the clock's millisecond turns: a millisecond of one core in every poll
 * interval (10 ms), idle or not, measured as most of an idle service's CPU. Asked for its size
 * again and again within microseconds while it is empty, this queue parks the asking thread for a
 * moment before it answers: the poll ends when it would have (a fraction of a millisecond later at
 * most), the reader is kept out just as the loop kept it out, and the core is free meanwhile.
 * Everything else is Debezium's own queue ({@link DefaultQueueProvider}), unchanged.
 */
public class RelayQueue<T extends Sizeable> implements QueueProvider<T> {

    /** The name the relay's engine configuration selects this queue by. */
    static final String NAME = "dukan-relay";

    /** Two empty answers this close together are the poll's loop, not two polls. */
    static final long LOOP_GAP_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    /** How long a looping poll is parked before each further empty answer. */
    static final long PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    /** The poll asks twice at its start (to size its batch, then to drain); a third quick ask is the loop. */
    private static final int LOOPING_AFTER = 2;

    private final DefaultQueueProvider<T> queue = new DefaultQueueProvider<>();

    // Debezium calls a queue provider under its queue's lock, but for the size its metrics read
    // (remainingCapacity). Such a read in between costs at most one pause, or delays one.
    private Thread asker;
    private long lastEmptyAnswer;
    private int quickEmptyAnswers;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void configure(Map<String, ?> config) {
        queue.configure(config);
    }

    @Override
    public void enqueue(T record) throws InterruptedException {
        queue.enqueue(record);
    }

    @Override
    public T poll() throws InterruptedException {
        return queue.poll();
    }

    @Override
    public int size() {
        int size = queue.size();
        if (size > 0) {
            quickEmptyAnswers = 0;
            return size;
        }
        Thread current = Thread.currentThread();
        long now = System.nanoTime();
        if (current != asker || now - lastEmptyAnswer > LOOP_GAP_NANOS) {
            asker = current;
            quickEmptyAnswers = 0;
        }
        else if (++quickEmptyAnswers >= LOOPING_AFTER) {
            LockSupport.parkNanos(PAUSE_NANOS);
            now = System.nanoTime();
        }
        lastEmptyAnswer = now;
        return queue.size();
    }

    @Override
    public void close() {
        queue.close();
    }
}
