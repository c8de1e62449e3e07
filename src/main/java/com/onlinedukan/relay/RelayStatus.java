package com.onlinedukan.relay;

/**
 * The relay as an SRE sees it on this instance.
 *
 * @param lagSeconds commit-to-publish delay of the last batch published
 * @param retainedWalBytes WAL the replication slot keeps (from its restart LSN), or -1 if the slot is missing
 */
public record RelayStatus(RelayState state, boolean leader, double lagSeconds, long retainedWalBytes,
        String lastError) {
}
