package com.onlinedukan.relay;

import java.util.List;

import org.springframework.stereotype.Component;

/** The Redis Stream outbox events travel on: its key, and the one way to (re)publish to it. */
@Component
public class OutboxStream {

    private final String key;
    private final StreamPublisher publisher;

    OutboxStream(RelayProperties properties, StreamPublisher publisher) {
        this.key = properties.stream();
        this.publisher = publisher;
    }

    public String key() {
        return key;
    }

    /**
     * Publishes events again, for a recovery that found them missing downstream. Returns once
     * Redis has them all.
     */
    public void republish(List<RelayedEvent> events) {
        publisher.publish(events);
    }
}
