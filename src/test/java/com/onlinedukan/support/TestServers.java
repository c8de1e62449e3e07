package com.onlinedukan.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import redis.embedded.RedisServer;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.util.FileSystemUtils;

/**
 * The one switch for tests' PostgreSQL and Redis: Testcontainers containers where a Docker engine
 * answers, the same embedded servers the service uses by default where none does
 * ({@code -Ddukan.test.embedded=true} forces them). Started once per JVM and shared; every Spring
 * context reaches them through Spring Boot connection details ({@link TestInfrastructure}) and
 * gets its own database and stream key on them ({@link DukanTestContext}). The embedded servers
 * keep their files in a temporary directory of this JVM, never under the user's home.
 */
public final class TestServers {

    private static TestServers instance;

    private final String host;
    private final int postgresPort;
    private final String user;
    private final String password;
    private final String redisHost;
    private final int redisPort;
    private final String kind;
    private final SharedPostgres postgresContainer;
    private final SharedRedis redisContainer;
    private final Path dataDirectory;
    /** This JVM's migrated template database, made on first use. */
    private String migratedTemplate;

    private TestServers(String kind, String host, int postgresPort, String user, String password, String redisHost,
            int redisPort, SharedPostgres postgresContainer, SharedRedis redisContainer, Path dataDirectory) {
        this.kind = kind;
        this.host = host;
        this.postgresPort = postgresPort;
        this.user = user;
        this.password = password;
        this.redisHost = redisHost;
        this.redisPort = redisPort;
        this.postgresContainer = postgresContainer;
        this.redisContainer = redisContainer;
        this.dataDirectory = dataDirectory;
    }

    public static synchronized TestServers get() {
        if (instance == null) {
            instance = dockerAvailable() ? containers() : embedded();
        }
        return instance;
    }

    private static boolean dockerAvailable() {
        if (Boolean.getBoolean("dukan.test.embedded")) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (RuntimeException e) {
            return false;
        }
    }

    private static TestServers containers() {
        SharedPostgres postgres = new SharedPostgres();
        SharedRedis redis = new SharedRedis();
        postgres.start();
        redis.start();
        return new TestServers("Testcontainers", postgres.getHost(), postgres.getMappedPort(5432),
                postgres.getUsername(), postgres.getPassword(), redis.getHost(), redis.getMappedPort(6379),
                postgres, redis, null);
    }

    private static TestServers embedded() {
        try {
            Path root = TestDirectories.create("dukan-test-servers");
            Path redisDir = Files.createDirectories(root.resolve("redis"));
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(root.resolve("postgres"))
                    .setCleanDataDirectory(true)
                    .setServerConfig("wal_level", "logical")
                    // As the service's embedded default and a real server run it (zonky turns it off).
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_replication_slots", "20")
                    .setServerConfig("max_wal_senders", "20")
                    .setServerConfig("max_connections", "1000")
                    .start();
            RedisServer redis = null;
            int redisPort = 0;
            // A port free when asked can be taken before Redis binds it: the forks start servers side by side,
            // and a Redis Cluster node of another fork binds its bus port (its port + 10000) unannounced.
            for (int attempt = 1; redis == null; attempt++) {
                redisPort = freePort();
                RedisServer candidate = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1")
                        .setting("dir " + redisDir.toAbsolutePath())
                        .setting("save \"\"").setting("appendonly no").build();
                try {
                    candidate.start();
                    redis = candidate;
                }
                catch (IOException e) {
                    if (attempt == 5) {
                        throw e;
                    }
                    System.err.println("Embedded Redis could not start on port " + redisPort + " (" + e.getMessage()
                            + "); another port");
                }
            }
            RedisServer started = redis;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    awaitSpringShutdown();
                    started.stop();
                    postgres.close();
                    FileSystemUtils.deleteRecursively(root);
                }
                catch (IOException e) {
                    // exiting anyway
                }
            }));
            return new TestServers("embedded", "localhost", postgres.getPort(), "postgres", "postgres", "localhost",
                    redisPort, null, null, root);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the servers are Testcontainers containers (else embedded servers in this JVM). */
    public boolean inContainers() {
        return postgresContainer != null;
    }

    /** The PostgreSQL container, for a {@code @ServiceConnection} bean; only {@link #inContainers()}. */
    public PostgreSQLContainer postgresContainer() {
        return postgresContainer;
    }

    /** The Redis container, for a {@code @ServiceConnection} bean; only {@link #inContainers()}. */
    public GenericContainer<?> redisContainer() {
        return redisContainer;
    }

    /** The embedded servers' connection details (the cluster's {@code postgres} database). */
    public JdbcConnectionDetails postgresConnectionDetails() {
        return connectionDetails("postgres");
    }

    /** Connection details of one database on the shared server, for a test that builds a bean itself. */
    public JdbcConnectionDetails connectionDetails(String database) {
        return new ServerConnection(jdbcUrl(database), user, password);
    }

    /** The embedded Redis' connection details. */
    public DataRedisConnectionDetails redisConnectionDetails() {
        return new DataRedisConnectionDetails() {
            @Override
            public Standalone getStandalone() {
                return Standalone.of(redisHost, redisPort);
            }
        };
    }

    /** Where the embedded servers keep their files (a temporary directory); empty in containers. */
    public Optional<Path> dataDirectory() {
        return Optional.ofNullable(dataDirectory);
    }

    private record ServerConnection(String url, String user, String password) implements JdbcConnectionDetails {

        @Override
        public String getJdbcUrl() {
            return url;
        }

        @Override
        public String getUsername() {
            return user;
        }

        @Override
        public String getPassword() {
            return password;
        }
    }

    /**
     * A container shared by every context of the JVM: a context that closes closes its beans,
     * and must not stop the container the next context runs on. Ryuk removes it when the JVM exits.
     */
    static final class SharedPostgres extends PostgreSQLContainer {

        SharedPostgres() {
            super("postgres:17");
            withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=20",
                    "-c", "max_wal_senders=20", "-c", "max_connections=300");
        }

        @Override
        public void stop() {
            // The JVM's, not a context's.
        }
    }

    /** The shared Redis container; see {@link SharedPostgres}. */
    static final class SharedRedis extends GenericContainer<SharedRedis> {

        SharedRedis() {
            super("redis:7");
            withExposedPorts(6379);
        }

        @Override
        public void stop() {
            // The JVM's, not a context's.
        }
    }

    /**
     * JVM shutdown hooks run concurrently: the servers must outlive Spring's hook, which closes the
     * cached test contexts, or their relays and dispatchers would wait for connections to a
     * database that is already gone.
     */
    private static void awaitSpringShutdown() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if ("SpringApplicationShutdownHook".equals(thread.getName())) {
                try {
                    thread.join(Duration.ofSeconds(60).toMillis());
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public String kind() {
        return kind;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + postgresPort + "/" + database;
    }

    public String postgresHost() {
        return host;
    }

    public int postgresPort() {
        return postgresPort;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String redisHost() {
        return redisHost;
    }

    public int redisPort() {
        return redisPort;
    }

    /**
     * Drops a replication slot: ends a walsender still attached to it (its relay has been
     * stopped; a lingering backend would hold the slot), then retries for up to 10 s.
     */
    public void dropSlot(String slot) {
        try (Connection admin = connect("postgres")) {
            try (var terminate = admin.prepareStatement(
                    "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = ? AND active")) {
                terminate.setString(1, slot);
                terminate.execute();
            }
            for (int tries = 0; tries < 100; tries++) {
                try (var drop = admin.prepareStatement(
                        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
                    drop.setString(1, slot);
                    drop.execute();
                    return;
                }
                catch (SQLException active) {
                    Thread.sleep(100);
                }
            }
            throw new IllegalStateException("Slot " + slot + " is still in use");
        }
        catch (SQLException e) {
            throw new IllegalStateException("Could not drop replication slot " + slot, e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while dropping replication slot " + slot, e);
        }
    }

    /** A new, empty database on the shared server. */
    public void createDatabase(String name) {
        create(name, null);
    }

    private void create(String name, String template) {
        try (Connection admin = connect("postgres"); var statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template));
        }
        catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name
                    + (template == null ? "" : " from " + template), e);
        }
    }

    /**
     * A new database on the shared server with the service's migrations already applied: a copy of
     * a template this JVM migrated once, so a test context's Flyway only validates the schema instead
     * of building it again (each context start applied all the migrations anew).
     */
    public void createMigratedDatabase(String name) {
        create(name, migratedTemplate());
    }

    private synchronized String migratedTemplate() {
        if (migratedTemplate == null) {
            String name = "dukan_template_" + ProcessHandle.current().pid();
            createDatabase(name);
            // Closed before any copy: PostgreSQL copies a template nobody is connected to.
            try (HikariDataSource dataSource = pool(name, 3)) {
                Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            }
            migratedTemplate = name;
        }
        return migratedTemplate;
    }

    /**
     * A new database on the shared server with the service's migrations applied, as a pool of
     * {@code poolSize}: for tests that need PostgreSQL alone, no Spring context. The caller closes it.
     */
    public HikariDataSource migratedDatabase(String name, int poolSize) {
        createMigratedDatabase(name);
        return pool(name, poolSize);
    }

    private HikariDataSource pool(String name, int poolSize) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(jdbcUrl(name));
        dataSource.setUsername(user);
        dataSource.setPassword(password);
        dataSource.setMaximumPoolSize(poolSize);
        return dataSource;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user, password);
    }
}
