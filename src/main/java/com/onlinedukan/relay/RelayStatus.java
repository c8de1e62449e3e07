package com.onlinedukan.relay;

/**
 * The relay as an SRE sees it on this instance.
 *
 * @param lagSeconds commit-to-publish delay of the last batch published
 * @param retainedWalBytes WAL the replication slot keeps (from its restart LSN), or -1 if the slot is missing
 * @param consecutiveFailures failed starts of the engine in a row, with no batch streamed in between
 * @param crashLooping so many failures in a row that the relay will not heal by itself
 */
public record RelayStatus(RelayState state, boolean leader, double lagSeconds, long retainedWalBytes,
        String lastError, int consecutiveFailures, boolean crashLooping) {
}
