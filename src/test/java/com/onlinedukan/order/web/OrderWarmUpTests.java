package com.onlinedukan.order.web;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.onlinedukan.order.OrderModuleTest;
import com.onlinedukan.support.Orders;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A starting instance runs its order path before it reports ready, and that warm-up changes nothing:
 * its orders go the whole real way (answered {@code 201}) and are rolled back, its requests are not
 * the service's traffic, and every other request in that time (without the warm-up's token, or with
 * a forged one) is an order like any other. A module test ({@link OrderModuleTest}).
 */
@OrderModuleTest
@TestPropertySource(properties = "dukan.orders.warm-up=3s")
@Import(OrderWarmUpTests.EarlyCustomer.class)
class OrderWarmUpTests {

    @LocalServerPort
    int port;

    @Autowired
    OrderWarmUp warmUp;

    @Autowired
    WarmUpRollback rollback;

    @Autowired
    ApplicationAvailability availability;

    @Autowired
    MeterRegistry meters;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    EarlyCustomer earlyCustomer;

    /** Orders posted by this class's tests after readiness, which are observed like any other. */
    static final AtomicInteger postedByTests = new AtomicInteger();

    @Test
    void theWarmUpRunsTheOrderPathBeforeReadinessAndStoresNothing() {
        OrderWarmUp.Result warmed = warmUp.last();

        assertThat(warmed).isNotNull();
        assertThat(warmed.placed()).as("orders answered 201 by the real path").isGreaterThan(20);
        assertThat(warmed.failed()).isZero();
        assertThat(count("SELECT count(*) FROM orders WHERE customer_name = 'Warm-up'")).isZero();
        assertThat(count("SELECT count(*) FROM order_item WHERE sku LIKE 'WARM-%'")).isZero();
        assertThat(count("SELECT count(*) FROM outbox WHERE payload::text LIKE '%Warm-up%'")).isZero();
        assertThat(count("SELECT count(*) FROM idempotency_key WHERE key LIKE 'warm-up-%'")).isZero();

        var readiness = availability.getLastChangeEvent(ReadinessState.class);
        assertThat(readiness.getState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
        assertThat(Instant.ofEpochMilli(readiness.getTimestamp()))
                .isAfterOrEqualTo(warmed.ended().truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void theWarmUpsRequestsAreNotTheServicesTraffic() throws Exception {
        earlyCustomer.sent.get(30, TimeUnit.SECONDS);

        // Thousands of warm-up requests, and only the early customer's two (and this class's own) observed.
        assertThat(warmUp.last().requests()).isGreaterThan(20);
        assertThat(meters.find("http.server.requests").tag("uri", "/api/orders").timers().stream()
                .mapToLong(Timer::count).sum()).isEqualTo(2 + postedByTests.get());
    }

    @Test
    void everyOtherOrderDuringTheWarmUpIsStored() throws Exception {
        EarlyCustomer.Sent sent = earlyCustomer.sent.get(30, TimeUnit.SECONDS);

        assertThat(sent.whileWarmingUp()).isTrue();
        Orders orders = new Orders(port);
        for (Orders.Response placed : new Orders.Response[] { sent.plain(), sent.forged() }) {
            assertThat(placed.status()).isEqualTo(201);
            assertThat(orders.get(placed.id()).status()).isEqualTo(200);
        }
    }

    @Test
    void afterReadinessNoRequestIsRolledBack() {
        Orders orders = new Orders(port);

        assertThat(rollback.isOpen()).isFalse();
        postedByTests.incrementAndGet();
        Orders.Response placed = orders.send(orders.post(Orders.order("After warm-up " + UUID.randomUUID(), null, "A"))
                .header(WarmUpRollback.HEADER, "0".repeat(64)));
        assertThat(placed.status()).isEqualTo(201);
        assertThat(orders.get(placed.id()).status()).isEqualTo(200);
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    /** A customer who orders as soon as the server listens, while the warm-up runs: once plainly, once with a forged token. */
    @TestConfiguration(proxyBeanMethods = false)
    static class EarlyCustomer {

        record Sent(Orders.Response plain, Orders.Response forged, boolean whileWarmingUp) {
        }

        final CompletableFuture<Sent> sent = new CompletableFuture<>();

        @EventListener
        void listening(WebServerInitializedEvent event) {
            WarmUpRollback rollback = event.getApplicationContext().getBean(WarmUpRollback.class);
            Orders orders = new Orders(event.getWebServer().getPort());
            Thread customer = new Thread(() -> {
                try {
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (!rollback.isOpen() && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    boolean before = rollback.isOpen();
                    Orders.Response plain = orders.place(Orders.order("Early " + UUID.randomUUID(), null, "A"));
                    Orders.Response forged = orders.send(orders.post(Orders.order("Forger " + UUID.randomUUID(), null, "A"))
                            .header(WarmUpRollback.HEADER, "f".repeat(64)));
                    sent.complete(new Sent(plain, forged, before && rollback.isOpen()));
                }
                catch (Throwable e) {
                    sent.completeExceptionally(e);
                }
            }, "early-customer");
            customer.setDaemon(true);
            customer.start();
        }
    }
}
