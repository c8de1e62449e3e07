package com.onlinedukan.infrastructure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.onlinedukan.OnlineDukanApplication;
import com.onlinedukan.support.Orders;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With nothing configured the whole service runs on the embedded servers — the datasource,
 * Flyway, the relay's Debezium engine and Redis all on them — which keep their data in
 * {@code .onlinedukan} of the home the service sees. Here that home is a temporary directory:
 * the developer's own {@code ~/.onlinedukan} is neither created, read nor stopped.
 */
@Tag("full-stack")
class EmbeddedDefaultTests {

    @TempDir
    Path home;

    @Test
    void withNothingConfiguredTheWholeServiceRunsOnEmbeddedServersInTheDataDirectoryOfItsHome() throws IOException {
        Path developersData = Path.of(System.getProperty("user.home"), ".onlinedukan");
        ServersIn before = ServersIn.of(developersData);
        Path dataDir = home.resolve(".onlinedukan");

        // "dukan.embedded.enabled=" is the unset default (the build turns it off for every other test).
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(OnlineDukanApplication.class)
                .run("--user.home=" + home, "--dukan.embedded.enabled=", "--server.port=0",
                        "--telegram.bot-token=", "--telegram.chat-id=-100")) {
            assertThat(service.getBean(JdbcConnectionDetails.class)).isInstanceOf(LocalPostgres.class);
            assertThat(service.getBean(DataRedisConnectionDetails.class)).isInstanceOf(LocalRedis.class);

            JdbcClient jdbc = service.getBean(JdbcClient.class);
            assertThat(Path.of(jdbc.sql("SHOW data_directory").query(String.class).single()).toRealPath())
                    .isEqualTo(dataDir.resolve("postgres").toRealPath());
            assertThat(jdbc.sql("SELECT count(*) FROM flyway_schema_history WHERE success").query(Long.class).single())
                    .as("Flyway migrated the embedded server").isPositive();
            assertThat(Path.of(service.getBean(StringRedisTemplate.class).execute(
                    (org.springframework.data.redis.core.RedisCallback<String>) redis ->
                            redis.serverCommands().getConfig("dir").getProperty("dir"))).toRealPath())
                    .isEqualTo(dataDir.resolve("redis").toRealPath());

            Orders orders = new Orders(((WebServerApplicationContext) service).getWebServer().getPort());
            String order = orders.placeMany("Embedded", 1).get(0);
            await().atMost(Duration.ofSeconds(60)).until(() -> "DELIVERED".equals(
                    orders.get(order).body().path("notification").path("status").asString()));
            assertThat(jdbc.sql("SELECT count(*) FROM pg_replication_slots").query(Long.class).single())
                    .as("Debezium streams from the embedded server").isPositive();
        }

        assertThat(dataDir.resolve("postgres/postmaster.pid")).as("stopped with the service").doesNotExist();
        assertThat(ServersIn.of(developersData)).isEqualTo(before);
    }

    /** Whether a data directory exists and which servers' pid files it holds, as they read. */
    private record ServersIn(boolean exists, String postgresPid, String redisPid) {

        static ServersIn of(Path dataDir) throws IOException {
            return new ServersIn(Files.exists(dataDir), read(dataDir.resolve("postgres/postmaster.pid")),
                    read(dataDir.resolve("redis/redis.pid")));
        }

        private static String read(Path file) throws IOException {
            return Files.exists(file) ? Files.readString(file) : null;
        }
    }
}
