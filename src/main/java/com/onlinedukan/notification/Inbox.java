package com.onlinedukan.notification;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.onlinedukan.cluster.InstanceIdentity;
import com.onlinedukan.order.OrderPlaced;
import com.onlinedukan.outbox.Outbox;
import com.onlinedukan.outbox.OutboxEvent;
import com.onlinedukan.stream.EntryBytes;
import com.onlinedukan.stream.OutboxStream;
import com.onlinedukan.stream.StreamConsumer;
import com.onlinedukan.stream.StreamEntry;
import com.onlinedukan.stream.StreamSubscription;
import com.onlinedukan.stream.Subscriber;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The notifier's member of the stream's consumer group. A stream entry is only a pointer: its
 * event id (as the embedded relay or Debezium Server's Redis sink wrote it) is looked up in the
 * outbox, and what the outbox holds is what the ledger records and what is sent. An entry whose id the outbox does not know is poison, kept with its reason and
 * never sent, so whoever can write to Redis cannot put words in the staff chat. A batch is
 * acknowledged once the ledger has it.
 */
@Component
class Inbox implements SmartLifecycle, StreamConsumer {

    private static final Logger log = LoggerFactory.getLogger(Inbox.class);
    private static final int BATCH = 200;
    /** The most bytes of one poison entry kept; the rest is named by its length and SHA-256. */
    static final int MAX_RAW_BYTES = 8 * 1024 * 1024;
    /** The most ids waiting to be looked for again; past it, an unknown id is poison at once. */
    private static final int MAX_WAITING_TO_LOOK_AGAIN = 10_000;
    /** How long an id the outbox does not show yet is looked for again: about 3 s in all. */
    private static final List<Duration> LOOK_AGAIN = List.of(Duration.ofMillis(20), Duration.ofMillis(100),
            Duration.ofMillis(300), Duration.ofMillis(800), Duration.ofMillis(1800));

    private final OutboxStream stream;
    private final Outbox outbox;
    private final DeliveryLedger ledger;
    private final Dispatcher dispatcher;
    private final NotificationProperties properties;
    private final InstanceIdentity identity;
    private final Map<PoisonReason, Counter> poisoned = new EnumMap<>(PoisonReason.class);
    /** Ids waiting to be looked for again, off the reader's thread, so the next batch never waits for them. */
    private volatile ScheduledExecutorService lookAgain;
    private final AtomicInteger waitingToLookAgain = new AtomicInteger();
    private volatile StreamSubscription subscription;

    Inbox(OutboxStream stream, Outbox outbox, DeliveryLedger ledger, Dispatcher dispatcher,
            NotificationProperties properties, InstanceIdentity identity, MeterRegistry meters) {
        this.stream = stream;
        this.outbox = outbox;
        this.ledger = ledger;
        this.dispatcher = dispatcher;
        this.properties = properties;
        this.identity = identity;
        for (PoisonReason reason : PoisonReason.values()) {
            poisoned.put(reason, Counter.builder("dukan.stream.poison.entries").tag("reason", reason.tag())
                    .description("Stream entries the notifier refused, kept in stream_poison and acknowledged")
                    .register(meters));
        }
    }

    /**
     * Judges each entry on its own: one whose fields cannot be read or name nothing the outbox has
     * is kept as poison (its bytes as they are) and acknowledged with the rest, so no input costs
     * more than itself. Only a failure to reach PostgreSQL throws, and then the batch comes again.
     */
    @Override
    public void accept(List<StreamEntry> batch) {
        Map<UUID, StreamEntry> pointers = new LinkedHashMap<>();
        for (StreamEntry entry : batch) {
            Optional<UUID> eventId = entry.eventId();
            if (eventId.isEmpty()) {
                poison(entry, null, PoisonReason.UNREADABLE,
                        "stream entry has no readable 'eventId' (nor the outbox event router's 'id' header)");
            }
            else {
                pointers.putIfAbsent(eventId.get(), entry);
            }
        }
        if (pointers.isEmpty()) {
            return;
        }
        List<OutboxEvent> notifications = new ArrayList<>(pointers.size());
        lookUp(pointers, notifications);
        register(notifications);
        if (pointers.isEmpty()) {
            return;
        }
        // PostgreSQL sends a commit to the replication stream once it is on disk, a moment before
        // other sessions can see it; on a busy machine that moment grows. So an id the outbox does
        // not show yet is looked for again before it is called a forgery, but on a thread of its
        // own: the batch is acknowledged now and the next one is read at once, so a stream of
        // forged ids costs the reader nothing. Should the process die meanwhile, a real event among
        // them is the reconciler's (a committed outbox event the ledger lacks). Past
        // MAX_WAITING_TO_LOOK_AGAIN ids (a flood) they are poison at once, and the reconciler still
        // looks at poison again.
        if (waitingToLookAgain.addAndGet(pointers.size()) > MAX_WAITING_TO_LOOK_AGAIN) {
            waitingToLookAgain.addAndGet(-pointers.size());
            poisonUnknown(pointers);
            return;
        }
        scheduleLookAgain(new LinkedHashMap<>(pointers), 0);
    }

    private void scheduleLookAgain(Map<UUID, StreamEntry> pointers, int round) {
        try {
            lookAgain.schedule(() -> lookAgain(pointers, round), LOOK_AGAIN.get(round).toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (RejectedExecutionException e) {
            // Stopping: what was not found is the reconciler's, as after a crash.
            waitingToLookAgain.addAndGet(-pointers.size());
        }
    }

    private void lookAgain(Map<UUID, StreamEntry> pointers, int round) {
        int waiting = pointers.size();
        try {
            List<OutboxEvent> notifications = new ArrayList<>(pointers.size());
            lookUp(pointers, notifications);
            register(notifications);
            if (!pointers.isEmpty() && round + 1 < LOOK_AGAIN.size()) {
                waitingToLookAgain.addAndGet(pointers.size() - waiting);
                scheduleLookAgain(pointers, round + 1);
                return;
            }
            poisonUnknown(pointers);
        }
        catch (RuntimeException e) {
            // PostgreSQL unreachable: the entries are acknowledged, so a real event among them is
            // the reconciler's, which finds every committed outbox event the ledger lacks.
            log.warn("Looking again for {} event id(s) the outbox did not show failed ({}); the reconciler has them",
                    pointers.size(), e.getMessage());
        }
        waitingToLookAgain.addAndGet(-waiting);
    }

    private void poisonUnknown(Map<UUID, StreamEntry> pointers) {
        pointers.keySet().removeAll(ledger.known(pointers.keySet()));
        pointers.forEach((eventId, entry) -> poison(entry, eventId, PoisonReason.UNKNOWN_EVENT,
                "event id is not in the outbox"));
    }

    /**
     * Records the batch in the ledger. While a sender is idle, the registering statement also claims
     * the new rows and the claims go straight to it: that sender would claim the same rows next.
     */
    private void register(List<OutboxEvent> notifications) {
        if (notifications.isEmpty()) {
            return;
        }
        if (dispatcher.takesHandOver()) {
            DeliveryLedger.Registered registered = ledger.registerClaimed(notifications, identity.name(),
                    properties.lease());
            if (!registered.claims().isEmpty()) {
                dispatcher.handOver(registered.claims());
            }
            if (registered.unclaimed() > 0) {
                dispatcher.wakeUp();
            }
        }
        else if (ledger.register(notifications) > 0) {
            dispatcher.wakeUp();
        }
        notifications.clear();
    }

    /** Moves what the outbox has from {@code pointers} to {@code notifications} (order events only). */
    private void lookUp(Map<UUID, StreamEntry> pointers, List<OutboxEvent> notifications) {
        for (OutboxEvent event : outbox.events(pointers.keySet())) {
            StreamEntry entry = pointers.remove(event.id());
            if (isOrderNotification(event, entry)) {
                notifications.add(event);
            }
        }
    }

    private boolean isOrderNotification(OutboxEvent event, StreamEntry entry) {
        if (!OrderPlaced.TYPE.equals(event.type())) {
            return false;
        }
        try {
            UUID.fromString(event.aggregateId());
            return true;
        }
        catch (IllegalArgumentException e) {
            poison(entry, null, PoisonReason.NOT_AN_ORDER, "OrderPlaced event names no order: '"
                    + EntryText.cut(event.aggregateId()) + "'");
            return false;
        }
    }

    /**
     * Keeps the entry as it arrived: its bytes losslessly (up to {@value #MAX_RAW_BYTES}, beyond
     * that cut, with the whole length and digest), a rendering PostgreSQL's text accepts, and the
     * event id it named for the reconciler to look for again.
     */
    private void poison(StreamEntry entry, UUID eventId, PoisonReason reason, String why) {
        EntryBytes bytes = entry.bytes();
        log.error("Stream entry {} is poison ({}, {} fields, {} bytes); kept in stream_poison, never sent",
                EntryText.cut(entry.id(), 64), why, bytes.fieldCount(), bytes.encodedLength());
        if (ledger.poison(EntryText.cut(entry.id(), 64), bytes.readable(PoisonEntry.MAX_FIELDS),
                bytes.encoded(MAX_RAW_BYTES), bytes.encodedLength(), bytes.sha256(), eventId, why)) {
            poisoned.get(reason).increment();
        }
    }

    @Override
    public void start() {
        lookAgain = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "inbox-look-again");
            thread.setDaemon(true);
            return thread;
        });
        subscription = stream.subscribe(new Subscriber(properties.consumerGroup(), identity.name(), BATCH,
                properties.claimIdle(), properties.consumerExpiry(), this));
        log.info("Reading stream '{}' as '{}' in group '{}'", stream.key(), identity.name(), properties.consumerGroup());
    }

    /** Returns once no batch is being registered, so nothing is taken from the stream after stop. */
    @Override
    public void stop() {
        StreamSubscription running = subscription;
        subscription = null;
        if (running != null) {
            running.close();
        }
        ScheduledExecutorService looking = lookAgain;
        if (looking != null) {
            looking.shutdownNow();
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
