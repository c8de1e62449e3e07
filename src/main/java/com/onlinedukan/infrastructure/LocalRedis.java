package com.onlinedukan.infrastructure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/**
 * The embedded Redis of the local default (append-only file in its data directory), offered as
 * Spring Boot's connection details. Started when the bean is created, stopped when the context
 * closes (after the connection factory that depends on it).
 */
final class LocalRedis implements DataRedisConnectionDetails, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalRedis.class);
    private static final String HOST = "127.0.0.1";

    private final RedisServer server;
    private final int port;

    private LocalRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    static LocalRedis start(Path dir) {
        try {
            Files.createDirectories(dir);
            Path pidFile = dir.resolve("redis.pid");
            StaleServer.stopIfRunning(pidFile, "redis-server");
            int port = freePort();
            RedisServer server = RedisServer.newRedisServer()
                    .port(port)
                    .bind(HOST)
                    .setting("dir " + dir.toAbsolutePath())
                    .setting("appendonly yes")
                    .setting("pidfile " + pidFile.toAbsolutePath())
                    .setting("save \"\"")
                    .build();
            server.start();
            log.info("No Redis configured: running on an embedded Redis (port {}, append-only file in {})", port, dir);
            return new LocalRedis(server, port);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded Redis in " + dir, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public Standalone getStandalone() {
        return Standalone.of(HOST, port);
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws IOException {
        server.stop();
    }
}
