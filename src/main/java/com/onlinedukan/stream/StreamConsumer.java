package com.onlinedukan.stream;

import java.util.List;

/**
 * Receives entries of the outbox stream in batches. The whole batch is acknowledged (one XACK)
 * when this returns; if it throws, nothing is acknowledged and the same entries come again.
 */
@FunctionalInterface
public interface StreamConsumer {

    void accept(List<StreamEntry> batch);
}
