package com.onlinedukan.stream;

/**
 * A member of a consumer group of the outbox stream, as Redis describes it (XINFO CONSUMERS).
 *
 * @param name the consumer's name in the group (an instance's stream consumer name)
 * @param pending entries it read and has not acknowledged
 * @param idleSeconds since it last read or claimed from the stream
 */
public record GroupConsumer(String name, long pending, double idleSeconds) {
}
