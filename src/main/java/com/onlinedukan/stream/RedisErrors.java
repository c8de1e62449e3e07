package com.onlinedukan.stream;

/**
 * What a Redis error means, read from its root cause: Spring and Lettuce wrap the server's
 * reply ({@code NOGROUP ...}, {@code BUSYGROUP ...}) in one or two exceptions of their own.
 */
final class RedisErrors {

    private RedisErrors() {
    }

    /** The stream or the group is gone (Redis restarted empty, was flushed, or the group was destroyed). */
    static boolean noGroup(Throwable error) {
        return rootMessage(error).contains("NOGROUP");
    }

    static boolean groupExists(Throwable error) {
        return rootMessage(error).contains("BUSYGROUP");
    }

    /** XINFO on a key Redis does not have. */
    static boolean noSuchKey(Throwable error) {
        return rootMessage(error).contains("no such key");
    }

    static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
