package com.onlinedukan.stream;

/**
 * A stream entry id ({@code <millis>-<sequence>}), compared as Redis compares them: by number,
 * not as text ({@code 9-0} comes before {@code 10-0}).
 */
record StreamId(long millis, long sequence) implements Comparable<StreamId> {

    static final StreamId ZERO = new StreamId(0, 0);

    static StreamId parse(String id) {
        int dash = id.indexOf('-');
        if (dash < 0) {
            return new StreamId(Long.parseUnsignedLong(id), 0);
        }
        return new StreamId(Long.parseUnsignedLong(id.substring(0, dash)),
                Long.parseUnsignedLong(id.substring(dash + 1)));
    }

    /** The smallest id after this one. */
    StreamId next() {
        return sequence == -1L ? new StreamId(millis + 1, 0) : new StreamId(millis, sequence + 1);
    }

    @Override
    public int compareTo(StreamId other) {
        int byMillis = Long.compareUnsigned(millis, other.millis);
        return byMillis != 0 ? byMillis : Long.compareUnsigned(sequence, other.sequence);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(millis) + "-" + Long.toUnsignedString(sequence);
    }
}
