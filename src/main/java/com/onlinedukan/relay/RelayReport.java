package com.onlinedukan.relay;

import java.time.Instant;

import com.onlinedukan.cluster.Leadership;

/**
 * The relay as the cluster knows it, the same whichever instance reads it: who holds the relay
 * lease now, and what the holder last reported of its relay to PostgreSQL.
 *
 * @param state what the leader's relay was doing at its last report; null before the first report
 * @param leader whether an instance holds the relay lease now
 * @param leaderInstance the instance holding the lease now (its {@link Leadership#holder()}), or null
 * @param lagSeconds commit-to-publish delay of the last batch the leader published; null before the first report
 * @param retainedWalBytes WAL the slot retained at the last report (-1: the slot was missing); null before the first report
 * @param lastError the leader's relay error at the last report, if it had one
 * @param reportedBy the instance that wrote the last report (the leader at the time)
 * @param reportedAt when the last report was written (the database's clock)
 * @param reportAgeSeconds how old the last report is (the database's clock); null before the first report
 * @param stale no report, or none for three leader leases: the figures are history, not the present
 */
public record RelayReport(RelayState state, boolean leader, String leaderInstance, Double lagSeconds,
        Long retainedWalBytes, String lastError, String reportedBy, Instant reportedAt, Double reportAgeSeconds,
        boolean stale) {
}
