package com.onlinedukan.relay;

import java.util.List;

import org.springframework.stereotype.Component;

/**
 * The Redis Stream outbox events travel on, owned whole by this module: the relay publishes to
 * it; subscribers read it through a consumer group, and what they acknowledge is trimmed.
 */
@Component
public class OutboxStream {

    private final String key;
    private final StreamPublisher publisher;

    OutboxStream(RelayProperties properties, StreamPublisher publisher) {
        this.key = properties.stream();
        this.publisher = publisher;
    }

    /** Until the notifier's reconciler writes to the ledger directly (it is being rebuilt): goes then. */
    @Deprecated
    public void republish(List<RelayedEvent> events) {
        publisher.publish(events);
    }

    public String key() {
        return key;
    }

    /** Joins the subscriber's consumer group and hands it batches until the subscription is closed. */
    public StreamSubscription subscribe(Subscriber subscriber) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The stream's length and what the group has read but not acknowledged; zeros when Redis has neither. */
    public StreamDepth depth(String group) {
        throw new UnsupportedOperationException("not built yet");
    }
}
