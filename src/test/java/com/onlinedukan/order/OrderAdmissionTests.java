package com.onlinedukan.order;

import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import com.onlinedukan.support.Orders;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Past its capacity the service says so at once, stores nothing, and serves what it admitted.
 * A module test ({@link OrderModuleTest}).
 */
@OrderModuleTest
@TestPropertySource(properties = { "dukan.orders.max-in-flight=1", "dukan.orders.admission-wait=100ms" })
class OrderAdmissionTests {

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Test
    void anOrderBeyondCapacityIsRefusedWith503AndNothingStoredWhileTheAdmittedOneCompletes() throws Exception {
        Orders orders = new Orders(port);
        String key = "held-" + UUID.randomUUID();
        CompletableFuture<Orders.Response> admitted;
        try (Connection holder = dataSource.getConnection()) {
            // Another transaction holds the Idempotency-Key's row: the admitted request waits on it.
            holder.setAutoCommit(false);
            try (var insert = holder.prepareStatement("INSERT INTO idempotency_key (key, request_hash) VALUES (?, 'x')")) {
                insert.setString(1, key);
                insert.executeUpdate();
            }
            admitted = CompletableFuture.supplyAsync(() -> orders.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/api/orders"))
                    .header("Content-Type", "application/json").header("Idempotency-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString(Orders.order("Admitted", null, "A")))));
            await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%idempotency_key%'")
                    .query(Long.class).single() > 0);

            String busyName = "Refused " + UUID.randomUUID();
            Orders.Response refused = orders.place(Orders.order(busyName, null, "A"));

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.raw().headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.body().get("type").asString()).isEqualTo("/problems/overloaded");
            assertThat(refused.body().get("detail").asString()).contains("nothing was stored");
            assertThat(jdbc.sql("SELECT count(*) FROM orders WHERE customer_name = ?").param(busyName)
                    .query(Long.class).single()).isZero();
            holder.rollback();
        }
        assertThat(admitted.get().status()).isEqualTo(201);
        assertThat(orders.place(Orders.order("After", null, "A")).status()).isEqualTo(201);
    }
}
