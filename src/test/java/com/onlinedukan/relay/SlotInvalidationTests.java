package com.onlinedukan.relay;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.onlinedukan.OnlineDukanApplication;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Orders;
import com.onlinedukan.support.TestDirectories;
import com.onlinedukan.support.TestServers;
import io.micrometer.core.instrument.MeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Invariant: a replication slot PostgreSQL invalidates under the running relay (the WAL it still
 * needed removed, past {@code max_slot_wal_keep_size}: what a server set up against a full disk
 * does while the relay cannot publish) costs no notification and no waiting: the relay says so,
 * streams again from a new slot of the same name within seconds, and every order placed before,
 * while and after is delivered exactly once, long before the reconciler's grace (10 minutes here).
 * Debezium alone waits half an hour for such a slot to become valid, reporting nothing.
 *
 * <p>The fault is PostgreSQL's own: a checkpoint removes the WAL and invalidates the slot. The
 * setting it takes is the server's, and it invalidates every slot that is behind, so this test
 * runs on a PostgreSQL of its own.
 */
@Tag("full-stack")
class SlotInvalidationTests {

    static final Duration WITHIN = Duration.ofSeconds(60);

    Path dir;
    EmbeddedPostgres postgres;
    FakeBotApi telegram;
    final String stream = "dukan_invalidation_" + ProcessHandle.current().pid() + "_" + System.nanoTime() + ":outbox";

    @BeforeEach
    void ownPostgres() throws Exception {
        dir = TestDirectories.create("dukan-slot-invalidation");
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("postgres"))
                .setCleanDataDirectory(true)
                .setServerConfig("wal_level", "logical")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_wal_size", "32MB")
                .setServerConfig("min_wal_size", "32MB")
                .start();
        telegram = FakeBotApi.start();
    }

    @AfterEach
    void closeAll() throws Exception {
        telegram.close();
        postgres.close();
        FileSystemUtils.deleteRecursively(dir);
    }

    /** The service on this test's PostgreSQL, the shared Redis (a stream key of its own) and its fake Bot API. */
    private ConfigurableApplicationContext service(String... more) {
        TestServers servers = TestServers.get();
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                "--spring.data.redis.host=" + servers.redisHost(),
                "--spring.data.redis.port=" + servers.redisPort(),
                "--dukan.relay.stream=" + stream,
                "--dukan.relay.restart-pause=1s",
                "--dukan.reconciler.grace=10m", "--dukan.reconciler.interval=1s",
                "--telegram.bot-token=4242:TEST-token-must-never-be-logged",
                "--telegram.chat-id=-1001234567890", "--telegram.api-url=" + telegram.url(),
                "--dukan.ops.password=TEST-ops-password-never-logged",
                "--dukan.orders.warm-up=0s", "--dukan.relay.poll-interval=50ms",
                "--server.port=0"));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(OnlineDukanApplication.class).run(args.toArray(String[]::new));
    }

    /** What a server with max_slot_wal_keep_size does at a checkpoint to a slot that fell behind. */
    private void invalidateWhatFellBehind(String slot) throws SQLException {
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
                Statement sql = admin.createStatement()) {
            sql.execute("ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'");
            sql.execute("SELECT pg_reload_conf()");
            sql.execute("CREATE TABLE IF NOT EXISTS filler (x text)");
            for (int i = 0; i < 4; i++) {
                sql.execute("INSERT INTO filler SELECT repeat('x', 1000) FROM generate_series(1, 20000)");
                sql.execute("SELECT pg_switch_wal()");
            }
            sql.execute("CHECKPOINT");
            assertThat(walStatus(sql, slot)).as("PostgreSQL invalidated the slot").isEqualTo("lost");
            sql.execute("ALTER SYSTEM RESET max_slot_wal_keep_size");
            sql.execute("SELECT pg_reload_conf()");
        }
    }

    @Test
    void aSlotInvalidatedUnderTheRunningRelayIsReplacedAndEveryOrderIsDeliveredOnce() throws Exception {
        try (ConfigurableApplicationContext service = service()) {
            OutboxRelay relay = service.getBean(OutboxRelay.class);
            StringRedisTemplate redis = service.getBean(StringRedisTemplate.class);
            MeterRegistry meters = service.getBean(MeterRegistry.class);
            String slot = service.getBean(RelayNames.class).slot();
            Orders http = new Orders(((WebServerApplicationContext) service).getWebServer().getPort());
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.state() == RelayState.RUNNING);
            List<String> before = List.of(place(http, "Before the invalidation"));
            telegram.awaitEachAcceptedOnce(before, WITHIN);
            double recoveries = meters.get("dukan.relay.slot.recoveries").counter().count();

            List<String> whileBehind = new ArrayList<>();
            try {
                // Redis refuses the relay (the stream key holds something else), so the slot falls behind.
                redis.delete(stream);
                redis.opsForValue().set(stream, "not a stream");
                for (int i = 0; i < 3; i++) {
                    whileBehind.add(place(http, "While the slot falls behind"));
                }
                invalidateWhatFellBehind(slot);
            }
            finally {
                redis.delete(stream);
            }

            await().atMost(WITHIN).until(() -> relay.lastError().orElse("").contains("invalidated")
                    || meters.get("dukan.relay.slot.recoveries").counter().count() > recoveries);
            List<String> after = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                after.add(place(http, "After the invalidation"));
            }
            telegram.awaitEachAcceptedOnce(whileBehind, WITHIN);
            telegram.awaitEachAcceptedOnce(after, WITHIN);
            assertThat(telegram.acceptedMentioning(before.get(0))).hasSize(1);
            assertThat(meters.get("dukan.relay.slot.recoveries").counter().count() - recoveries).isEqualTo(1.0);
            await().atMost(WITHIN).until(() -> relay.state() == RelayState.RUNNING);
            try (Connection admin = postgres.getPostgresDatabase().getConnection();
                    Statement sql = admin.createStatement()) {
                assertThat(walStatus(sql, slot)).isNotEqualTo("lost");
            }
        }
    }

    /**
     * The same while the service is stopped (its slot inactive, so nothing holds the WAL back): at
     * the next start the relay replaces the slot, and the orders committed meanwhile (taken by an
     * instance without a relay) are delivered at once, each once.
     */
    @Test
    void aSlotInvalidatedWhileTheServiceWasDownIsReplacedAtTheStartAndNothingWaits() throws Exception {
        String slot;
        try (ConfigurableApplicationContext service = service()) {
            OutboxRelay relay = service.getBean(OutboxRelay.class);
            slot = service.getBean(RelayNames.class).slot();
            Orders http = new Orders(((WebServerApplicationContext) service).getWebServer().getPort());
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.state() == RelayState.RUNNING);
            telegram.awaitEachAcceptedOnce(List.of(place(http, "Before the stop")), WITHIN);
            JdbcClient jdbc = service.getBean(JdbcClient.class);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> jdbc.sql("SELECT count(*) FROM relay_offset").query(Long.class).single() > 0);
        }
        List<String> whileDown = new ArrayList<>();
        try (ConfigurableApplicationContext front = service("--dukan.relay.enabled=false")) {
            Orders http = new Orders(((WebServerApplicationContext) front).getWebServer().getPort());
            for (int i = 0; i < 3; i++) {
                whileDown.add(place(http, "While the relay was down"));
            }
            invalidateWhatFellBehind(slot);
        }

        long started = System.nanoTime();
        try (ConfigurableApplicationContext service = service()) {
            MeterRegistry meters = service.getBean(MeterRegistry.class);
            telegram.awaitEachAcceptedOnce(whileDown, WITHIN);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WITHIN);
            assertThat(meters.get("dukan.relay.slot.recoveries").counter().count()).isEqualTo(1.0);
            try (Connection admin = postgres.getPostgresDatabase().getConnection();
                    Statement sql = admin.createStatement()) {
                assertThat(walStatus(sql, slot)).isNotEqualTo("lost");
            }
        }
    }

    private static String walStatus(Statement sql, String slot) throws SQLException {
        try (var rs = sql.executeQuery("SELECT wal_status FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String place(Orders http, String name) {
        Orders.Response response = http.place(Orders.order(name + " " + UUID.randomUUID(), null, "A"));
        assertThat(response.status()).isEqualTo(201);
        return response.id();
    }
}
