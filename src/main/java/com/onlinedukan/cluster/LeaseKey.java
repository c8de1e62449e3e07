package com.onlinedukan.cluster;

/**
 * The key of this cluster's lease row ({@code relay_leader.slot}). It is the replication slot's
 * name, as it has been since the lease was the relay's: every instance of one database, of this
 * version or an older one, contends for the same row during a rolling upgrade, so there is never
 * a second leader. The relay module supplies it.
 */
public interface LeaseKey {

    /** The lease row's key; stable for the life of the process. */
    String slot();
}
