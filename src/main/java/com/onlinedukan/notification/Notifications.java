package com.onlinedukan.notification;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;

/**
 * How notifications are doing, and what SREs may do about them: replay (the one way to send a
 * notification again) and pause or resume delivery.
 */
@Service
public class Notifications {

    private final DeliveryLedger ledger;
    private final NotificationQueries queries;
    private final DeliveryControl control;
    private final StreamInbox inbox;
    private final Dispatcher dispatcher;

    Notifications(DeliveryLedger ledger, NotificationQueries queries, DeliveryControl control, StreamInbox inbox,
            Dispatcher dispatcher) {
        this.ledger = ledger;
        this.queries = queries;
        this.control = control;
        this.inbox = inbox;
        this.dispatcher = dispatcher;
    }

    /** The notification of an order; PENDING with no attempts until its event reaches the ledger. */
    public NotificationStatus statusOf(UUID orderId) {
        return ledger.statusOfOrder(orderId).orElse(NotificationStatus.NOT_YET_SEEN);
    }

    public PipelineCounts pipeline() {
        Map<DeliveryStatus, Long> counts = queries.countsByStatus();
        long[] undelivered = queries.undelivered();
        long[] stream = inbox.streamLengthAndPending();
        return new PipelineCounts(undelivered[0], undelivered[1] / 1000.0, stream[0], stream[1],
                counts.get(DeliveryStatus.PENDING), counts.get(DeliveryStatus.RETRYING),
                counts.get(DeliveryStatus.DELIVERED), counts.get(DeliveryStatus.DEAD));
    }

    /** Newest first; any filter may be null. */
    public List<NotificationView> list(DeliveryStatus status, Instant from, Instant to, int limit) {
        return queries.list(status, from, to, limit);
    }

    /** One notification with its attempt history. */
    public Optional<NotificationView> find(UUID eventId) {
        return queries.find(eventId);
    }

    /** Sends one notification again from a fresh attempt count, even a delivered one; returns 0 or 1. */
    public int replay(UUID eventId, String actor) {
        return replayed(ledger.replay("event_id = :eventId", Map.of("eventId", eventId), actor));
    }

    /** Sends the notifications of one order again. */
    public int replayOrder(UUID orderId, String actor) {
        return replayed(ledger.replay("order_id = :orderId", Map.of("orderId", orderId), actor));
    }

    /**
     * Replays every notification in a status created from {@code from} (inclusive) to {@code to}
     * (exclusive); with {@code dryRun} only
     * counts them.
     */
    public int replayMatching(DeliveryStatus status, Instant from, Instant to, boolean dryRun, String actor) {
        if (dryRun) {
            return (int) queries.countMatching(status, from, to);
        }
        return replayed(ledger.replay("""
                status = :status
                AND (CAST(:from AS timestamptz) IS NULL OR created_at >= :from)
                AND (CAST(:to AS timestamptz) IS NULL OR created_at < :to)""",
                NotificationQueries.window(status, from, to), actor));
    }

    private int replayed(List<UUID> eventIds) {
        if (!eventIds.isEmpty()) {
            dispatcher.wakeUp();
        }
        return eventIds.size();
    }

    public DeliveryPause pause(String actor) {
        return control.set(true, actor);
    }

    public DeliveryPause resume(String actor) {
        DeliveryPause state = control.set(false, actor);
        dispatcher.wakeUp();
        return state;
    }

    public DeliveryPause pauseState() {
        return control.state();
    }
}
