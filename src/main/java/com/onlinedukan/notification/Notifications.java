package com.onlinedukan.notification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.onlinedukan.stream.OutboxStream;
import com.onlinedukan.stream.StreamDepth;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * How notifications are doing, and what SREs may do about them: replay (the one way to send a
 * notification again) and pause or resume delivery. Changes join the caller's transaction, so
 * an SRE's action and its audit record commit together.
 */
@Service
public class Notifications {

    private final DeliveryLedger ledger;
    private final NotificationQueries queries;
    private final DeliveryControl control;
    private final Dispatcher dispatcher;
    private final OutboxStream stream;
    private final NotificationProperties properties;
    private final Clock clock;
    private final TransactionTemplate chunkTransaction;

    Notifications(DeliveryLedger ledger, NotificationQueries queries, DeliveryControl control, Dispatcher dispatcher,
            OutboxStream stream, NotificationProperties properties, Clock clock,
            PlatformTransactionManager transactions) {
        this.ledger = ledger;
        this.queries = queries;
        this.control = control;
        this.dispatcher = dispatcher;
        this.stream = stream;
        this.properties = properties;
        this.clock = clock;
        // Each chunk commits on its own, even when the caller holds a transaction.
        this.chunkTransaction = new TransactionTemplate(transactions);
        this.chunkTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** The notification of an order; PENDING with no attempts until its event reaches the ledger. */
    public NotificationStatus statusOf(UUID orderId) {
        return ledger.statusOfOrder(orderId).orElse(NotificationStatus.NOT_YET_SEEN);
    }

    public PipelineCounts pipeline() {
        NotificationQueries.Open open = queries.open();
        double oldest = open.oldestCommittedAt() == null ? 0
                : Math.max(0, Duration.between(open.oldestCommittedAt(), clock.instant()).toMillis() / 1000.0);
        StreamDepth depth = stream.depth(properties.consumerGroup());
        return new PipelineCounts(new PipelineCounts.Backlog(open.pending() + open.retrying(), oldest), depth,
                new PipelineCounts.Ledger(open.pending(), open.retrying(), queries.delivered(), open.dead()));
    }

    /** Newest first; any filter may be null. */
    public List<NotificationView> list(UUID orderId, DeliveryStatus status, Instant from, Instant to, int limit) {
        return queries.list(orderId, status, from, to, limit);
    }

    /** Deliveries and their commit → delivery delay in each of the last {@code minutes} minutes, oldest first. */
    public List<DeliveredMinute> deliveredPerMinute(int minutes) {
        return queries.deliveredPerMinute(minutes);
    }

    /** The stream entries the inbox refused, newest first. */
    public List<PoisonEntry> poison(int limit) {
        return queries.poison(limit);
    }

    /** The consumer group this service reads the outbox stream in. */
    public String consumerGroup() {
        return properties.consumerGroup();
    }

    /** One notification with its attempt history. */
    public Optional<NotificationView> find(UUID eventId) {
        return queries.find(eventId);
    }

    /**
     * Puts the notifications of the scope back to PENDING with a fresh attempt count, even
     * delivered ones (leased ones, in the middle of a send, are left alone); returns how many.
     */
    @Transactional
    public int replay(ReplayScope scope, String actor) {
        int replayed = ledger.replay(scope, actor).size();
        if (replayed > 0) {
            afterCommit(dispatcher::wakeUp);
        }
        return replayed;
    }

    /**
     * A bulk replay in chunks of {@code dukan.notification.replay-chunk-size}, each chunk in a
     * transaction of its own: a replay of a million dead letters neither holds a million row locks
     * nor one transaction open for minutes, and what is done stays done if it stops halfway.
     * Returns how many were replayed in all.
     */
    public int replayInChunks(ReplayScope.Matching scope, String actor) {
        int total = 0;
        DeliveryLedger.ReplayCursor after = null;
        while (true) {
            DeliveryLedger.ReplayCursor from = after;
            DeliveryLedger.ReplayedChunk chunk = chunkTransaction.execute(
                    tx -> ledger.replayChunk(scope, actor, from, properties.replayChunkSize()));
            total += chunk.count();
            if (chunk.count() > 0) {
                dispatcher.wakeUp();
            }
            if (chunk.count() < properties.replayChunkSize()) {
                return total;
            }
            after = chunk.last();
        }
    }

    /** How many a replay of the scope would touch now. */
    @Transactional(readOnly = true)
    public long replayable(ReplayScope scope) {
        return ledger.count(scope);
    }

    @Transactional
    public DeliveryPause pause(String actor, String reason) {
        return control.pause(actor, reason);
    }

    @Transactional
    public DeliveryPause resume(String actor) {
        DeliveryPause state = control.resume(actor);
        afterCommit(dispatcher::wakeUp);
        return state;
    }

    public DeliveryPause pauseState() {
        return control.state();
    }

    private static void afterCommit(Runnable action) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            action.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }
}
