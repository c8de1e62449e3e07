package com.onlinedukan.infrastructure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.commons.logging.Log;
import redis.embedded.RedisServer;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts an embedded PostgreSQL and Redis when neither is configured (the local default), and
 * points Spring's datasource and Redis properties at them. Half a configuration is a deployment,
 * not a laptop: with only one of them configured nothing is embedded, the other takes Spring
 * Boot's defaults (Redis on localhost:6379), and the log says so — an embedded server there would
 * quietly keep orders or stream entries on one machine's disk. {@code dukan.embedded.enabled=true}
 * embeds whatever is missing; {@code false} embeds nothing. Runs after the configuration files are
 * read, so a configured {@code spring.datasource.url} or {@code spring.data.redis.host} always wins.
 */
public class EmbeddedInfrastructure implements EnvironmentPostProcessor, Ordered {

    static final String DATA_DIR = "dukan.embedded.data-dir";
    /**
     * {@code false} turns the embedded default off (tests bring their own servers); {@code true}
     * embeds whatever is not configured, even when the other one is.
     */
    static final String ENABLED = "dukan.embedded.enabled";

    private static EmbeddedServers servers;

    private final Log log;

    public EmbeddedInfrastructure(DeferredLogFactory logs) {
        this.log = logs.getLog(EmbeddedInfrastructure.class);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** What to embed for an environment, and what to tell the operator when it is only half configured. */
    record Decision(boolean postgres, boolean redis, String note) {
    }

    static Decision decide(Environment environment) {
        boolean postgresConfigured = environment.containsProperty("spring.datasource.url");
        boolean redisConfigured = environment.containsProperty("spring.data.redis.host")
                || environment.containsProperty("spring.data.redis.port")
                || environment.containsProperty("spring.data.redis.url");
        Boolean asked = environment.getProperty(ENABLED, Boolean.class);
        if (Boolean.FALSE.equals(asked)) {
            return new Decision(false, false, null);
        }
        if (Boolean.TRUE.equals(asked) || !postgresConfigured && !redisConfigured) {
            return new Decision(!postgresConfigured, !redisConfigured, null);
        }
        if (!redisConfigured) {
            return new Decision(false, false, "PostgreSQL is configured and Redis is not: using Spring Boot's default "
                    + "Redis (localhost:6379), not an embedded one. Set spring.data.redis.host (SPRING_DATA_REDIS_HOST), "
                    + "or " + ENABLED + "=true to embed it");
        }
        if (!postgresConfigured) {
            return new Decision(false, false, "Redis is configured and PostgreSQL is not: using Spring Boot's default "
                    + "datasource, not an embedded PostgreSQL. Set spring.datasource.url (SPRING_DATASOURCE_URL), "
                    + "or " + ENABLED + "=true to embed it");
        }
        return new Decision(false, false, null);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Decision decision = decide(environment);
        if (decision.note() != null) {
            log.warn(decision.note());
        }
        boolean needPostgres = decision.postgres();
        boolean needRedis = decision.redis();
        if (!needPostgres && !needRedis) {
            return;
        }
        Path dataDir = Path.of(environment.getProperty(DATA_DIR,
                Path.of(System.getProperty("user.home"), ".onlinedukan").toString()));
        Map<String, Object> properties = new HashMap<>();
        EmbeddedServers running = start(dataDir, needPostgres, needRedis);
        if (needPostgres) {
            properties.put("spring.datasource.url", running.postgres().getJdbcUrl("postgres", "postgres"));
            properties.put("spring.datasource.username", "postgres");
            properties.put("spring.datasource.password", "postgres");
            log.info("No datasource configured: running on an embedded PostgreSQL (port "
                    + running.postgres().getPort() + ", data in " + dataDir.resolve("postgres") + ")");
        }
        if (needRedis) {
            properties.put("spring.data.redis.host", "localhost");
            properties.put("spring.data.redis.port", running.redisPort());
            log.info("No Redis configured: running on an embedded Redis (port " + running.redisPort()
                    + ", append-only file in " + dataDir.resolve("redis") + ")");
        }
        environment.getPropertySources().addFirst(new MapPropertySource("embeddedInfrastructure", properties));
    }

    private static synchronized EmbeddedServers start(Path dataDir, boolean postgres, boolean redis) {
        if (servers == null) {
            servers = new EmbeddedServers(postgres ? startPostgres(dataDir.resolve("postgres")) : null,
                    redis ? startRedis(dataDir.resolve("redis")) : null);
            Runtime.getRuntime().addShutdownHook(new Thread(servers::stop, "embedded-infrastructure-stop"));
        }
        return servers;
    }

    private static EmbeddedPostgres startPostgres(Path dir) {
        try {
            Files.createDirectories(dir);
            StaleServer.stopIfRunning(dir.resolve("postmaster.pid"), "postgres");
            return EmbeddedPostgres.builder()
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
                    .start();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dir, e);
        }
    }

    private static RunningRedis startRedis(Path dir) {
        try {
            Files.createDirectories(dir);
            Path pidFile = dir.resolve("redis.pid");
            StaleServer.stopIfRunning(pidFile, "redis-server");
            int port = freePort();
            RedisServer server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("dir " + dir.toAbsolutePath())
                    .setting("appendonly yes")
                    .setting("pidfile " + pidFile.toAbsolutePath())
                    .setting("save \"\"")
                    .build();
            server.start();
            return new RunningRedis(server, port);
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

    record RunningRedis(RedisServer server, int port) {
    }

    record EmbeddedServers(EmbeddedPostgres postgres, RunningRedis redis) {

        int redisPort() {
            return redis.port();
        }

        void stop() {
            try {
                if (redis != null) {
                    redis.server().stop();
                }
                if (postgres != null) {
                    postgres.close();
                }
            }
            catch (IOException e) {
                // The JVM is exiting; nothing left to do with it.
            }
        }
    }
}
