package com.onlinedukan.relay;

import java.time.Instant;

/**
 * The relay's replication slot no longer had the position its stored offset names (the slot was
 * dropped, lost in a failover, or recreated further on), and the relay now streams from a fresh
 * position: events committed between {@code lostFrom} and {@code newFrom} never reach the stream
 * and must be taken from the outbox. Published on the relay leader.
 *
 * @param slot the slot's name (the same configured name before and after)
 * @param lostFrom the stored offset's LSN, the position the server no longer had
 * @param newFrom the LSN the relay streams from now
 * @param at when the relay recovered
 */
public record SlotRecreated(String slot, String lostFrom, String newFrom, Instant at) {
}
