package com.onlinedukan.relay;

/** What the relay on this instance is doing. */
public enum RelayState {
    /** Not started, or stopped with the service. */
    STOPPED,
    /** Another instance holds the relay lease; this one takes over when it goes. */
    STANDBY,
    /** Connecting to PostgreSQL and the replication slot. */
    STARTING,
    /** Streaming outbox inserts to Redis. */
    RUNNING,
    /** The engine stopped on an error; it is restarted after a pause from its durable offset. */
    FAILED,
    /**
     * Turned off by configuration on this instance: another relay (Debezium Server) writes the
     * stream. The instance still takes its turn at the lease for the reconciler and the purges.
     */
    DISABLED
}
