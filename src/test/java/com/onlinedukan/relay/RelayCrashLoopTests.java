package com.onlinedukan.relay;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.DukanTestContext.TestDatabase;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.OpsClient;
import com.onlinedukan.support.Orders;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Invariant (issue 17): a relay failure that does not heal pages someone. The engine failing start
 * after start, with no batch streamed in between, is a crash loop: {@code dukan_relay_consecutive_failures}
 * counts the failures (what {@code DukanRelayCrashLooping} alerts on) and the {@code relay} health
 * component is DOWN with {@code crashLooping} throughout, also in the moments between restarts when the
 * engine is not FAILED. Once the cause is gone, the relay streams again and both clear.
 * The pause between restarts is 1 s here (5 s by default), so that the loop's five failures come in
 * seconds and the health is sampled across several restarts; what counts as a loop does not depend on it.
 */
@DukanTest
@DirtiesContext
@TestPropertySource(properties = { "dukan.relay.restart-pause=1s", "dukan.relay.leadership-check-interval=500ms" })
class RelayCrashLoopTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestDatabase database;

    @Autowired
    FakeBotApi telegram;

    @Autowired
    MeterRegistry meters;

    @Test
    void aRelayThatKeepsFailingIsReportedAsCrashLoopingUntilItStreamsAgain() throws Exception {
        Orders http = new Orders(port);
        String first = place(http, "Before the fault");
        telegram.awaitEachAcceptedOnce(List.of(first), Duration.ofSeconds(40));
        assertThat(failuresInARow()).isZero();

        // The fault, one the relay cannot heal: the slot's name is taken by a slot of another database
        // on the same cluster (slot names are global), so neither Debezium nor the relay can make it here.
        takeTheSlotNameInAnotherDatabase();
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> failuresInARow() >= 5);
            // Throughout the loop, also between a failure and the next start.
            for (int i = 0; i < 20; i++) {
                JsonNode health = relayHealth();
                assertThat(health.path("status").asString()).isEqualTo("DOWN");
                assertThat(health.path("details").path("crashLooping").asBoolean()).isTrue();
                Thread.sleep(250);
            }
            assertThat(new OpsClient(port).call("GET", "/actuator/prometheus", null).raw().body())
                    .containsPattern("(?m)^dukan_relay_consecutive_failures(\\{[^}]*\\})? ([5-9]|[1-9][0-9]+)\\.");
        }
        finally {
            dropTheOtherDatabasesSlot();
        }

        String after = place(http, "After the fault");
        telegram.awaitEachAcceptedOnce(List.of(after), Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> failuresInARow() == 0
                && "UP".equals(relayHealth().path("status").asString()));
        assertThat(relayHealth().path("details").path("crashLooping").asBoolean()).isFalse();
    }

    private void takeTheSlotNameInAnotherDatabase() throws SQLException, InterruptedException {
        for (int tries = 0; ; tries++) {
            database.servers().dropSlot(database.slotName());
            try (Connection other = database.servers().connect("postgres")) {
                other.createStatement().execute(
                        "SELECT pg_create_logical_replication_slot('" + database.slotName() + "', 'pgoutput')");
                return;
            }
            catch (SQLException alreadyRecreatedByTheRelay) {
                if (tries > 20) {
                    throw alreadyRecreatedByTheRelay;
                }
                Thread.sleep(100);
            }
        }
    }

    private void dropTheOtherDatabasesSlot() throws SQLException {
        try (Connection other = database.servers().connect("postgres")) {
            other.createStatement().execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                    + "WHERE slot_name = '" + database.slotName() + "' AND database = 'postgres'");
        }
    }

    private double failuresInARow() {
        return meters.get("dukan.relay.consecutive.failures").gauge().value();
    }

    private JsonNode relayHealth() {
        return new OpsClient(port).call("GET", "/actuator/health/relay", null).body();
    }

    private static String place(Orders http, String name) {
        Orders.Response response = http.place(Orders.order(name + " " + UUID.randomUUID(), null, "A"));
        assertThat(response.status()).isEqualTo(201);
        return response.id();
    }
}
