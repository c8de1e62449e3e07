package com.onlinedukan.support;

import java.io.IOException;

import redis.embedded.RedisServer;

/**
 * A Redis of a test's own on localhost, without persistence, so that a test may stop it, flush it
 * or start it again empty without touching the Redis every other test class shares.
 */
public final class OwnRedis {

    private OwnRedis() {
    }

    /**
     * Starts one on {@code port}. The embedded server is a binary written to a temporary file
     * just before it is run; while test classes run side by side, another thread's process start
     * can hold that file open for an instant ({@code error=26, Text file busy}), so that start is
     * tried again.
     */
    public static RedisServer start(int port) throws IOException {
        RedisServer redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").build();
        for (int attempt = 1; ; attempt++) {
            try {
                redis.start();
                return redis;
            }
            catch (IOException e) {
                if (attempt == 10 || !textFileBusy(e)) {
                    throw e;
                }
                pause();
            }
        }
    }

    private static boolean textFileBusy(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains("Text file busy")) {
                return true;
            }
        }
        return false;
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(100);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while starting Redis", e);
        }
    }
}
