package com.onlinedukan.relay;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;

import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.DukanTestContext.TestDatabase;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.OpsClient;
import com.onlinedukan.support.Orders;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A relay stopped by a fault shows as the {@code relay} health component DOWN while the instance
 * stays ready (it can still accept orders), and comes back by itself.
 */
@DukanTest
@DirtiesContext
@TestPropertySource(properties = { "dukan.reconciler.grace=2s", "dukan.reconciler.interval=1s",
        "dukan.relay.restart-pause=1s" })
class RelayFaultTests {

    @LocalServerPort
    int port;

    @Autowired
    OutboxRelay relay;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestDatabase database;

    @Autowired
    FakeBotApi telegram;

    @Test
    void aFailedRelayIsDownInHealthWhileTheInstanceStaysReadyAndItRecoversByItself() {
        Orders http = new Orders(port);
        await().atMost(Duration.ofSeconds(20)).until(() -> relay.state() == RelayState.RUNNING);
        assertThat(readiness(http)).isEqualTo(200);
        // RUNNING is reported when the task starts, a moment before it streams; an event that
        // made it through shows the walsender is decoding through the publication.
        String before = http.place(Orders.order("Before the fault " + UUID.randomUUID(), null, "A")).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> !telegram.acceptedMentioning(before).isEmpty());

        // The fault: the publication the walsender decodes through disappears under it.
        jdbc.sql("DROP PUBLICATION " + database.name()).update();
        String id = http.place(Orders.order("During the fault " + UUID.randomUUID(), null, "A")).id();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> relay.state() == RelayState.FAILED && relayHealth(http).contains("DOWN"));
        assertThat(relay.lastError()).isPresent();
        assertThat(readiness(http)).as("readiness is PostgreSQL only").isEqualTo(200);
        assertThat(http.place(Orders.order("While the relay is failed " + UUID.randomUUID(), null, "A")).status())
                .isEqualTo(201);
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/liveness")))
                .status()).isEqualTo(200);

        // Restarted from its offset after the pause; Debezium creates the publication again. The
        // insert made while it was missing is never decoded; the reconciler republishes it.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> relay.state() == RelayState.RUNNING && relayHealth(http).contains("UP"));
        await().atMost(Duration.ofSeconds(60)).until(() -> !telegram.acceptedMentioning(id).isEmpty());
    }

    /** The relay component's status, as an SRE with the ops credential reads it. */
    private String relayHealth(Orders http) {
        return new OpsClient(port).call("GET", "/actuator/health/relay", null).body().path("status").asString();
    }

    private int readiness(Orders http) {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness")))
                .status();
    }
}
