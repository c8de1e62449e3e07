package com.onlinedukan.notification;

import java.util.Optional;
import java.util.UUID;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What SREs may do about notifications: replay (the one way to send a notification again) and
 * pause or resume delivery; and an order's notification status. Changes join the caller's
 * transaction, so an SRE's action and its audit record commit together. The ops reads are
 * {@link NotificationReads}.
 */
@Service
@NamedInterface("commands")
public class Notifications {

    private final DeliveryLedger ledger;
    private final DeliveryControl control;
    private final Dispatcher dispatcher;
    private final NotificationProperties properties;
    private final TransactionTemplate chunkTransaction;
    private final ObjectProvider<TakenOrders> taken;

    private final NotificationQueries queries;

    Notifications(DeliveryLedger ledger, NotificationQueries queries, DeliveryControl control, Dispatcher dispatcher,
            NotificationProperties properties, PlatformTransactionManager transactions, ObjectProvider<TakenOrders> taken) {
        this.taken = taken;
        this.queries = queries;
        this.ledger = ledger;
        this.control = control;
        this.dispatcher = dispatcher;
        this.properties = properties;
        // Each chunk commits on its own, even when the caller holds a transaction.
        this.chunkTransaction = new TransactionTemplate(transactions);
        this.chunkTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** The notification of an order; PENDING with no attempts until its event reaches the ledger. */
    public NotificationStatus statusOf(UUID orderId) {
        NotificationStatus status = ledger.statusOfOrder(orderId).orElse(NotificationStatus.NOT_YET_SEEN);
        TakenOrders orders = taken.getIfAvailable();
        return orders == null ? status : status.takenAt(orders.takenAt(orderId).orElse(null));
    }

    /** A notification the ledger has: its order, and when the order committed. */
    public record Ledgered(UUID orderId, java.time.Instant committedAt) {
    }

    /**
     * The notification of this event, whatever its status: a press on its message can come between
     * Telegram's answer and the DELIVERED commit, when only the ledger knows it was sent.
     */
    public Optional<Ledgered> ledgered(UUID eventId) {
        return ledger.ledgered(eventId);
    }

    /**
     * Those of these events whose notification the ledger still holds: a press on one of their
     * messages can still be applied, so what depends on them must stay.
     */
    public java.util.Set<UUID> ledgeredAmong(java.util.Collection<UUID> eventIds) {
        return ledger.heldAmong(eventIds);
    }

    /** Whether a notification is due to be sent now: what else spends the chat's budget waits while one is. */
    public boolean anyDue() {
        return queries.anyDue();
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
