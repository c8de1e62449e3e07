package com.onlinedukan.stream;

/**
 * How much the stream holds, or why that could not be read.
 *
 * @param length entries in the stream (XLEN); null when Redis could not be read
 * @param pending entries the group's consumers read and have not acknowledged; null when Redis could not be read
 * @param error why Redis could not be read (down, or the key holds something that is not a stream); null when it was
 */
public record StreamDepth(Long length, Long pending, String error) {

    public StreamDepth(long length, long pending) {
        this(Long.valueOf(length), Long.valueOf(pending), null);
    }

    /** What the pipeline's view shows when Redis did not answer the count: the reason, and no numbers. */
    public static StreamDepth unreadable(String error) {
        return new StreamDepth(null, null, error);
    }
}
