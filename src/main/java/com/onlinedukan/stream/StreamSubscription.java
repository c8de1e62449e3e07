package com.onlinedukan.stream;

/** A running {@link Subscriber}: close it to stop reading; it leaves the group if nothing is pending with it. */
public interface StreamSubscription extends AutoCloseable {

    /** Stops reading; returns once no batch is being handled. */
    @Override
    void close();
}
