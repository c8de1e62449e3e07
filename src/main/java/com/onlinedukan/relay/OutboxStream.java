package com.onlinedukan.relay;

import org.springframework.stereotype.Component;

/** The Redis Stream the relay publishes outbox events to; consumers read it by this key. */
@Component
public class OutboxStream {

    private final String key;

    OutboxStream(RelayProperties properties) {
        this.key = properties.stream();
    }

    public String key() {
        return key;
    }
}
