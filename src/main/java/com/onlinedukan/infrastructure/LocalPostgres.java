package com.onlinedukan.infrastructure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * The embedded PostgreSQL of the local default, offered as Spring Boot's connection details: the
 * datasource, Flyway and the relay all reach it through them. Started when the bean is created,
 * stopped when the context closes (after the datasource that depends on it).
 */
final class LocalPostgres implements JdbcConnectionDetails, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);
    private static final String USER = "postgres";

    private final EmbeddedPostgres server;

    private LocalPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    static LocalPostgres start(Path dir) {
        try {
            Files.createDirectories(dir);
            StaleServer.stopIfRunning(dir.resolve("postmaster.pid"), "postgres");
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("wal_level", "logical")
                    // Zonky turns synchronous_commit off (fine for throwaway test databases). Here
                    // it would lose orders already answered 201 if the machine crashed, and hold
                    // each event back until the WAL writer's next round (~200 ms) before the
                    // walsender may decode it.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_replication_slots", "10")
                    .setServerConfig("max_wal_senders", "10")
                    // Zonky's own shutdown hook would stop PostgreSQL at the JVM's first signal, while
                    // the service is still finishing its work; the context closes it after that.
                    .setRegisterShutdownHook(false)
                    .start();
            log.info("No datasource configured: running on an embedded PostgreSQL (port {}, data in {})",
                    server.getPort(), dir);
            return new LocalPostgres(server);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dir, e);
        }
    }

    @Override
    public String getJdbcUrl() {
        return server.getJdbcUrl(USER, "postgres");
    }

    @Override
    public String getUsername() {
        return USER;
    }

    @Override
    public String getPassword() {
        return "postgres";
    }

    int port() {
        return server.getPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
