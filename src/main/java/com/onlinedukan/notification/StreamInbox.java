package com.onlinedukan.notification;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;

import com.onlinedukan.relay.OutboxStream;
import com.onlinedukan.relay.RelayedEvent;
import com.onlinedukan.relay.StreamDepth;
import com.onlinedukan.relay.StreamEntry;
import com.onlinedukan.relay.StreamSubscription;
import com.onlinedukan.relay.Subscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Reads the outbox stream as a member of the notifier consumer group and registers each event
 * in the delivery ledger, then wakes the {@link Dispatcher}. A batch is acknowledged (by the
 * relay's subscription) only after the ledger has it, so an instance that dies in between leaves
 * it pending in the group; from the ledger on, the event is PostgreSQL's to keep.
 */
@Component
class StreamInbox implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamInbox.class);
    private static final int BATCH_SIZE = 100;

    private final OutboxStream stream;
    private final Delivery delivery;
    private final Dispatcher dispatcher;
    private final DeliveryLedger ledger;
    private final Duration claimIdle;
    private final Duration consumerExpiry;
    private final String group;
    private final String consumer;
    private volatile StreamSubscription subscription;

    StreamInbox(OutboxStream stream, Delivery delivery, Dispatcher dispatcher, DeliveryLedger ledger,
            NotificationProperties properties, NotifierIdentity identity) {
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
    public synchronized void start() {
        if (subscription == null) {
            subscription = stream.subscribe(
                    new Subscriber(group, consumer, BATCH_SIZE, claimIdle, consumerExpiry, this::receive));
        }
    }

    /** Registers the whole batch; returning normally lets the subscription acknowledge it. */
    private void receive(List<StreamEntry> batch) {
        boolean registered = false;
        for (StreamEntry entry : batch) {
            registered |= register(entry);
        }
        if (registered) {
            dispatcher.wakeUp();
        }
    }

    private boolean register(StreamEntry entry) {
        RelayedEvent event;
        try {
            event = RelayedEvent.fromFields(entry.fields());
        }
        catch (IllegalArgumentException | DateTimeParseException e) {
            log.error("Stream entry {} is not an outbox event ({}); dead-lettered", entry.id(), e.getMessage());
            ledger.poison(entry.id(), String.valueOf(entry.fields()), String.valueOf(e.getMessage()));
            return false;
        }
        return delivery.register(event);
    }

    /** XLEN and the group's pending count; zeros when Redis has neither (after a restart without data). */
    long[] streamLengthAndPending() {
        StreamDepth depth = stream.depth(group);
        return new long[] { depth.length(), depth.pending() };
    }

    /** Returns once no batch is in flight, so nothing is taken from the stream after stop. */
    @Override
    public synchronized void stop() {
        StreamSubscription running = subscription;
        subscription = null;
        if (running != null) {
            running.close();
        }
    }

    @Override
    public boolean isRunning() {
        return subscription != null;
    }

    /** Starts after the relay, stops before it. */
    @Override
    public int getPhase() {
        return 20;
    }
}
