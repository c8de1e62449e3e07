package com.onlinedukan;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Orders;
import com.onlinedukan.support.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar as operators run it (a process configured by the contract's environment
 * variables), killed with SIGKILL in the middle of a run: no shutdown hook, no graceful stop, no
 * last offset flush. A second process on the same database, slot and Redis delivers every order
 * exactly once. And one stopped (SIGTERM) while it warms up, before it is ready, stops at once with
 * the order a customer placed meanwhile and none of the warm-up's. The jar is made before the tests
 * run (pom.xml), so this class runs beside the others.
 */
@Tag("full-stack")
class ProcessKillIT {

    private static final Path JAR = Path.of("target/onlinedukan.jar");

    private final TestServers servers = TestServers.get();
    private final FakeBotApi telegram = FakeBotApi.start();
    private static final AtomicInteger runs = new AtomicInteger();

    private final String database = "dukan_kill_" + ProcessHandle.current().pid() + "_" + runs.incrementAndGet();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        processes.forEach(Process::destroyForcibly);
        processes.forEach(p -> p.onExit().join());
        telegram.close();
        servers.dropSlot(database);
    }

    @Test
    void serviceKilledMidRunLosesNothingAndSendsNothingTwice() throws Exception {
        servers.createDatabase(database);
        telegram.failNext(100_000, 502, "Bad Gateway");

        int firstPort = TestServers.freePort();
        Process first = launch(firstPort, "first");
        Orders a = new Orders(firstPort);
        List<String> beforeKill = a.placeMany("Before the kill", 10);
        await().atMost(Duration.ofSeconds(30)).until(() -> retrying() >= 5);

        first.destroyForcibly();
        assertThat(first.onExit().get().exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        assertThat(telegram.accepted()).isEmpty();

        telegram.clearScript();
        int secondPort = TestServers.freePort();
        launch(secondPort, "second");
        List<String> afterRestart = new Orders(secondPort).placeMany("After the restart", 5);

        telegram.awaitEachAcceptedOnce(beforeKill, Duration.ofSeconds(60));
        telegram.awaitEachAcceptedOnce(afterRestart, Duration.ofSeconds(60));
        assertThat(telegram.acceptedMentioning("Warm-up")).as("orders of the warm-ups, all rolled back").isEmpty();
        for (String process : List.of("first", "second")) {
            assertThat(Files.readString(log(process))).as(process + "'s log")
                    .doesNotContain(DukanTestContext.BOT_TOKEN)
                    .doesNotContain(DukanTestContext.OPS_PASSWORD);
        }
    }

    @Test
    void serviceStoppedDuringItsWarmUpStopsAtOnceWithTheCustomersOrderAndNoneOfItsOwn() throws Exception {
        servers.createDatabase(database);
        int port = TestServers.freePort();
        Process service = start(port, "stopped-warming", Map.of("DUKAN_ORDERS_WARMUP", "60s"));
        Orders client = new Orders(port);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.readString(log("stopped-warming")).contains("Warming up the order path"));

        assertThat(client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness")))
                .status()).as("readiness while warming up").isEqualTo(503);
        Orders.Response during = client.place(Orders.order("During the warm-up", null, "A"));
        assertThat(during.status()).isEqualTo(201);
        long stopping = System.nanoTime();
        service.destroy();

        assertThat(service.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - stopping)).as("from SIGTERM to exit").isLessThan(Duration.ofSeconds(15));
        assertThat(Files.readString(log("stopped-warming"))).contains("(the instance is stopping)");
        assertThat(count("SELECT count(*) FROM orders WHERE id = '" + during.id() + "'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM orders")).as("orders stored, the warm-up's included").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox")).isEqualTo(1);
    }

    private long count(String sql) throws SQLException {
        try (Connection db = servers.connect(database); ResultSet rows = db.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private Process launch(int port, String name) throws IOException {
        Process process = start(port, name, Map.of());
        Orders client = new Orders(port);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> {
                    assertThat(process.isAlive()).as(name + " exited; see " + log(name)).isTrue();
                    return client.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/actuator/health/readiness"))).status() == 200;
                });
        return process;
    }

    /** The jar as a process configured by the contract's environment variables (and {@code env}), not awaited. */
    private Process start(int port, String name, Map<String, String> env) throws IOException {
        assertThat(JAR).as("the packaged jar (made in process-test-classes)").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        // C1 alone, as the test JVMs run: the jar is what is under test, not how fast the JIT makes it.
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(log(name).toFile());
        builder.environment().putAll(contractEnvironment(port));
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private Map<String, String> contractEnvironment(int port) {
        Map<String, String> env = new HashMap<>();
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("SPRING_DATASOURCE_URL", servers.jdbcUrl(database));
        env.put("SPRING_DATASOURCE_USERNAME", servers.user());
        env.put("SPRING_DATASOURCE_PASSWORD", servers.password());
        env.put("SPRING_DATA_REDIS_HOST", servers.redisHost());
        env.put("SPRING_DATA_REDIS_PORT", Integer.toString(servers.redisPort()));
        env.put("TELEGRAM_BOT_TOKEN", DukanTestContext.BOT_TOKEN);
        env.put("TELEGRAM_CHAT_ID", DukanTestContext.CHAT_ID);
        env.put("TELEGRAM_API_URL", telegram.url());
        env.put("DUKAN_OPS_USERNAME", DukanTestContext.OPS_USER);
        env.put("DUKAN_OPS_PASSWORD", DukanTestContext.OPS_PASSWORD);
        env.put("DUKAN_RELAY_SLOT_NAME", database);
        env.put("DUKAN_RELAY_PUBLICATION_NAME", database);
        env.put("DUKAN_RELAY_STREAM", database + ":outbox");
        env.put("DUKAN_NOTIFICATION_RETRY_INITIAL_BACKOFF", "200ms");
        env.put("DUKAN_NOTIFICATION_RETRY_MAX_BACKOFF", "1s");
        env.put("DUKAN_NOTIFICATION_RETRY_MAX_ATTEMPTS", "1000");
        env.put("DUKAN_RECONCILER_GRACE", "5s");
        env.put("DUKAN_RECONCILER_INTERVAL", "2s");
        // The jar's warm-up runs, short: the orders it rolls back must not reach Telegram either.
        env.put("DUKAN_ORDERS_WARMUP", "2s");
        return env;
    }

    private Path log(String process) {
        return Path.of("target", "process-kill-" + process + ".log");
    }

    private long retrying() throws SQLException {
        try (Connection db = servers.connect(database);
                ResultSet rows = db.createStatement().executeQuery(
                        "SELECT count(*) FROM notification WHERE status = 'RETRYING'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

}
