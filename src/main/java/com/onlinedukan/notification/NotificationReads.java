package com.onlinedukan.notification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.onlinedukan.stream.OutboxStream;
import com.onlinedukan.stream.StreamDepth;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Service;

/**
 * How notifications are doing, for the ops API and page: the pipeline's counts, the ledger's
 * rows and history, the dead letters' raw entries. Reads only; the commands are {@link Notifications}.
 */
@Service
@NamedInterface("reads")
public class NotificationReads {

    private final NotificationQueries queries;
    private final DeliveryControl control;
    private final OutboxStream stream;
    private final NotificationProperties properties;
    private final Clock clock;
    private final ObjectProvider<TakenOrders> taken;

    NotificationReads(NotificationQueries queries, DeliveryControl control, OutboxStream stream,
            NotificationProperties properties, Clock clock, ObjectProvider<TakenOrders> taken) {
        this.taken = taken;
        this.queries = queries;
        this.control = control;
        this.stream = stream;
        this.properties = properties;
        this.clock = clock;
    }

    public PipelineCounts pipeline() {
        NotificationQueries.Open open = queries.open();
        double oldest = open.oldestCommittedAt() == null ? 0
                : Math.max(0, Duration.between(open.oldestCommittedAt(), clock.instant()).toMillis() / 1000.0);
        StreamDepth depth;
        try {
            depth = stream.depth(properties.consumerGroup());
        }
        catch (RuntimeException e) {
            // The SREs' view of the pipeline answers whatever Redis does: down, or the key not a stream.
            depth = StreamDepth.unreadable(NestedExceptionUtils.getMostSpecificCause(e).getMessage());
        }
        return new PipelineCounts(new PipelineCounts.Backlog(open.pending() + open.retrying(), oldest), depth,
                new PipelineCounts.Ledger(open.pending(), open.retrying(), queries.delivered(), open.dead()));
    }

    /** Newest first; any filter may be null. */
    public List<NotificationView> list(UUID orderId, DeliveryStatus status, Instant from, Instant to, int limit) {
        return withTaken(queries.list(orderId, status, from, to, limit));
    }

    /** The views with who took each order and when, where the acknowledgement module knows it. */
    private List<NotificationView> withTaken(List<NotificationView> views) {
        TakenOrders orders = taken.getIfAvailable();
        if (orders == null || views.isEmpty()) {
            return views;
        }
        Map<UUID, TakenOrders.Taken> byEvent = orders.byEvent(views.stream().map(NotificationView::eventId).toList());
        return views.stream().map(view -> view.taken(byEvent.get(view.eventId()))).toList();
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
        return queries.find(eventId).map(view -> withTaken(List.of(view)).get(0));
    }

    /** Whether delivery is paused, by whom and why. */
    public DeliveryPause pauseState() {
        return control.state();
    }
}
