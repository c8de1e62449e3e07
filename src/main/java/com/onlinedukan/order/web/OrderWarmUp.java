package com.onlinedukan.order.web;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import com.onlinedukan.order.OrderProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * A fresh JVM runs its first orders in the interpreter and spends its first minutes under load
 * compiling them; this moves that time before readiness. Once the server listens, and before the
 * instance reports ready (Boot reports readiness after its runners), one client sends this instance
 * orders over HTTP through the whole order path, each rolled back by {@link WarmUpRollback}: nothing
 * is stored, published or sent to Telegram. The path is the real one as far as it can be: orders
 * of one to three lines, observed (but timed apart from the service's traffic) and traced (but
 * unsampled, so no span is recorded). It stops when the JIT has settled (it compiled
 * for under {@value #SETTLED_PERCENT} % of the last {@value #WINDOW_SECONDS} s) or after
 * {@code dukan.orders.warm-up}, whichever comes first, so a fast machine is ready sooner. Orders from
 * anyone else in that time are taken as usual. The relay warms its decoding meanwhile, with WAL of
 * its own ({@code DecodingWarmUp}); the notifier is not warmed and compiles on the first real orders.
 */
@Component
class OrderWarmUp implements ApplicationRunner {

    static final int SETTLED_PERCENT = 15;
    static final int WINDOW_SECONDS = 3;
    private static final Duration CHECK_EVERY = Duration.ofMillis(500);
    private static final Duration AT_LEAST = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(OrderWarmUp.class);

    /**
     * Orders of one, two and three lines in turn: each number of lines is a statement of its own
     * (parsed and prepared for each connection), and real orders come in all of them.
     */
    private static final String[] ORDERS = {
            """
            {"customer":{"name":"Warm-up","phone":"+998900000000"},
             "items":[{"sku":"WARM-001","name":"Warm-up item","quantity":2,"unitPrice":12.50}],
             "comment":"sent by the instance to itself before it is ready; rolled back"}""",
            """
            {"customer":{"name":"Warm-up","phone":"+998900000000"},
             "items":[{"sku":"WARM-001","name":"Warm-up item","quantity":2,"unitPrice":12.50},
                      {"sku":"WARM-002","name":"Another warm-up item","quantity":1,"unitPrice":3.75}],
             "comment":"sent by the instance to itself before it is ready; rolled back"}""",
            """
            {"customer":{"name":"Warm-up","phone":"+998900000000"},
             "items":[{"sku":"WARM-001","name":"Warm-up item","quantity":2,"unitPrice":12.50},
                      {"sku":"WARM-002","name":"Another warm-up item","quantity":1,"unitPrice":3.75},
                      {"sku":"WARM-003","name":"A third warm-up item","quantity":3,"unitPrice":1.25}]}"""};

    private static final String INVALID = """
            {"customer":{"name":"","phone":"warm-up"},"items":[]}""";

    private final Duration limit;
    private final WarmUpRollback rollback;
    private final ApplicationContext context;
    private volatile boolean closing;
    private volatile Result last;

    OrderWarmUp(OrderProperties properties, WarmUpRollback rollback, ApplicationContext context) {
        this.limit = properties.warmUp();
        this.rollback = rollback;
        this.context = context;
    }

    /** What the last warm-up did; {@code null} when none ran. */
    Result last() {
        return last;
    }

    /**
     * @param took how long it ran
     * @param requests requests answered
     * @param placed of those, orders answered {@code 201} (and rolled back)
     * @param failed requests that got no answer
     * @param settled whether it ended because the JIT had settled, not at {@code dukan.orders.warm-up}
     * @param ended when it ended
     */
    record Result(Duration took, long requests, long placed, long failed, boolean settled, Instant ended) {
    }

    @EventListener(ContextClosedEvent.class)
    void closing() {
        closing = true;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (limit.isZero() || !(context instanceof WebServerApplicationContext web)
                || web.getWebServer() == null || web.getWebServer().getPort() <= 0) {
            return;
        }
        if (speaksTls(context.getEnvironment())) {
            log.info("No warm-up: the server speaks TLS on its port and the warm-up only plain HTTP");
            return;
        }
        URI orders = URI.create("http://" + host(context.getEnvironment().getProperty("server.address")) + ":"
                + web.getWebServer().getPort() + "/api/orders");
        log.info("Warming up the order path before reporting ready: until the JIT settles, at most {} "
                + "(dukan.orders.warm-up; 0s turns it off)", limit);
        long compiledBefore = Jit.millis();
        String token = rollback.open();
        try {
            last = drive(orders, token);
        }
        finally {
            rollback.close();
        }
        log.info("Warmed up in {} ms ({}): {} requests, {} orders placed and rolled back, {} unanswered; "
                + "the JIT compiled for {} ms meanwhile", last.took().toMillis(),
                last.settled() ? "the JIT had settled" : closing ? "the instance is stopping" : "dukan.orders.warm-up was up",
                last.requests(), last.placed(),
                last.failed(), Jit.millis() - compiledBefore);
        if (last.placed() == 0 && !closing) {
            log.warn("The warm-up placed no order (is PostgreSQL up?): the first orders after readiness will be slow");
        }
    }

    /** Whether the server speaks TLS on its port ({@code server.ssl.*}), which the warm-up's plain HTTP cannot. */
    static boolean speaksTls(Environment environment) {
        return environment.getProperty("server.ssl.enabled", Boolean.class, false)
                || environment.getProperty("server.ssl.bundle") != null;
    }

    /** Where this instance listens: {@code server.address}, or the loopback when it listens on every address. */
    static String host(String serverAddress) {
        if (serverAddress == null || serverAddress.isBlank()) {
            return "127.0.0.1";
        }
        try {
            InetAddress address = InetAddress.getByName(serverAddress.strip());
            if (address.isAnyLocalAddress()) {
                return "127.0.0.1";
            }
            return address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        }
        catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    private Result drive(URI orders, String token) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        Jit jit = new Jit(started);
        long requests = 0;
        long placed = 0;
        long failed = 0;
        boolean settled = false;
        for (long n = 0; !closing && failed <= 100; n++) {
            long now = System.nanoTime();
            if (now >= deadline) {
                break;
            }
            if (jit.settled(now, now - started >= AT_LEAST.toNanos())) {
                settled = true;
                break;
            }
            try {
                int status = http.send(request(orders, token, n), HttpResponse.BodyHandlers.discarding()).statusCode();
                requests++;
                if (status == 201) {
                    placed++;
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            catch (Exception e) {
                // Not listening any more (closing), or overwhelmed: a warm-up never fails the start.
                failed++;
            }
        }
        return new Result(Duration.ofNanos(System.nanoTime() - started), requests, placed, failed, settled, Instant.now());
    }

    /** Mostly orders as customers send them; now and then one with an Idempotency-Key, an invalid one, an unknown id. */
    private static HttpRequest request(URI orders, String token, long n) {
        HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofSeconds(10))
                .header(WarmUpRollback.HEADER, token)
                .header("traceparent", unsampledTraceparent());
        return switch ((int) (n % 8)) {
            case 5 -> request.uri(orders).header("Content-Type", "application/json")
                    .header(OrderController.IDEMPOTENCY_KEY, "warm-up-" + UUID.randomUUID())
                    .POST(HttpRequest.BodyPublishers.ofString(ORDERS[1])).build();
            case 6 -> request.uri(orders).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(INVALID)).build();
            case 7 -> request.uri(orders.resolve("/api/orders/" + UUID.randomUUID())).GET().build();
            default -> request.uri(orders).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ORDERS[(int) (n / 8 % ORDERS.length)])).build();
        };
    }

    /**
     * A W3C trace context whose sampled flag is off: the request's server span, and every span under
     * it, is not recorded (the sampler follows a remote parent's decision), while the tracing code
     * still runs as it does for any request.
     */
    private static String unsampledTraceparent() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "00-" + HexFormat.of().toHexDigits(random.nextLong() | 1) + HexFormat.of().toHexDigits(random.nextLong())
                + "-" + HexFormat.of().toHexDigits(random.nextLong() | 1) + "-00";
    }

    /** The JIT's compilation time, sampled every {@link #CHECK_EVERY} over the last {@link #WINDOW_SECONDS} s. */
    static final class Jit {

        private static final int SLOTS = (int) (WINDOW_SECONDS * 1000L / CHECK_EVERY.toMillis()) + 1;

        private final LongSupplier compiledMillis;
        private final long[] at = new long[SLOTS];
        private final long[] compiled = new long[SLOTS];
        private int taken;
        private long nextSample;

        Jit(long now) {
            this(now, Jit::millis);
        }

        /** @param compiledMillis the JIT's total compilation time so far, negative where unknown */
        Jit(long now, LongSupplier compiledMillis) {
            this.compiledMillis = compiledMillis;
            nextSample = now;
        }

        /** Whether the JIT compiled for under SETTLED_PERCENT % of the last window; never before {@code mayEnd}. */
        boolean settled(long now, boolean mayEnd) {
            if (now < nextSample) {
                return false;
            }
            nextSample = now + CHECK_EVERY.toNanos();
            int slot = taken++ % SLOTS;
            at[slot] = now;
            compiled[slot] = compiledMillis.getAsLong();
            if (!mayEnd || taken < SLOTS || compiled[slot] < 0) {
                return false;
            }
            int oldest = taken % SLOTS;
            double windowMillis = (now - at[oldest]) / 1e6;
            return compiled[slot] - compiled[oldest] < windowMillis * SETTLED_PERCENT / 100;
        }

        /** Total compilation time so far, or -1 where the JVM does not measure it (then the warm-up runs its full time). */
        static long millis() {
            CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
        }
    }
}
