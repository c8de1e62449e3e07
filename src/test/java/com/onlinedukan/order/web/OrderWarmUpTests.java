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
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A starting instance runs its order path before it reports ready, and that warm-up changes nothing:
 * its orders go the whole real way (answered {@code 201}) and are rolled back, its requests are
 * observed and traced but are not the service's traffic (timed apart, no span recorded), and every
 * other request in that time (without the warm-up's token, or with a forged one) is an order like
 * any other. A module test ({@link OrderModuleTest}).
 */
@OrderModuleTest
// Tracing as deployed (tests otherwise run without propagation), its spans exported at once.
@AutoConfigureTracing
@TestPropertySource(properties = { "dukan.orders.warm-up=3s", "management.opentelemetry.tracing.export.schedule-delay=100ms" })
@Import({ OrderWarmUpTests.EarlyCustomer.class, OrderWarmUpTests.Spans.class })
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

    @Autowired
    InMemorySpanExporter spans;

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
        long warmUpRequests = warmUp.last().requests();

        // Thousands of warm-up requests, and only the early customer's two (and this class's own) in http.server.requests.
        assertThat(warmUpRequests).isGreaterThan(20);
        assertThat(timed("http.server.requests", "/api/orders")).isEqualTo(2 + postedByTests.get());
        // Observed all the same (their observation's code is what the first real orders run), under a name of their own.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(meters.find(WarmUpRollback.REQUESTS).timers()
                .stream().mapToLong(Timer::count).sum()).isEqualTo(warmUpRequests));
        // Traced, but unsampled: every recorded server span of an order is one of the service's own POSTs.
        long posts = meters.find("http.server.requests").tag("uri", "/api/orders").tag("method", "POST").timers()
                .stream().mapToLong(Timer::count).sum();
        assertThat(posts).isGreaterThanOrEqualTo(2);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                .filteredOn(span -> span.getKind() == SpanKind.SERVER && span.getName().equals("http post /api/orders"))
                .hasSize((int) posts));
    }

    private long timed(String name, String uri) {
        return meters.find(name).tag("uri", uri).timers().stream().mapToLong(Timer::count).sum();
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

    /** The spans the instance records, the warm-up's included if it recorded any. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Spans {

        @Bean
        InMemorySpanExporter inMemorySpanExporter() {
            return InMemorySpanExporter.create();
        }
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
