package com.onlinedukan.stream;

/**
 * How much the stream holds.
 *
 * @param length entries in the stream (XLEN)
 * @param pending entries the group's consumers read and have not acknowledged
 */
public record StreamDepth(long length, long pending) {
}
