package com.onlinedukan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.OpsClient;
import com.onlinedukan.support.Orders;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Invariant: abuse of one path cannot take another away. Clients that send their headers and
 * trickle the body hold no order admission slot: real customers are served ({@code 201}) while
 * they trickle, and each trickler gets {@code 408} (a problem) after the body deadline, its
 * connection closed; wrong credentials, however many, never lock out the right one.
 */
@DukanTest
@TestPropertySource(properties = "dukan.orders.body-deadline=3s")
class AbuseOfOnePathTests {

    static final Duration DEADLINE = Duration.ofSeconds(3);
    static final int TRICKLERS = 80;
    static final int CUSTOMERS = 16;

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Test
    void clientsTricklingTheirBodiesTakeNoSlotFromCustomersAndGet408AfterTheDeadline() throws Exception {
        List<Trickler> tricklers = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        ExecutorService customers = Executors.newFixedThreadPool(CUSTOMERS);
        ExecutorService listeners = Executors.newFixedThreadPool(TRICKLERS);
        List<Future<Answer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < TRICKLERS; i++) {
                // Inputs nobody wrote down: most declare a length, some are chunked, some send nothing more.
                Trickler trickler = Trickler.open(port, i % 10 == 0 ? Style.CHUNKED : i % 10 == 1 ? Style.SILENT : Style.LENGTH);
                tricklers.add(trickler);
                answers.add(listeners.submit(() -> trickler.awaitAnswer(DEADLINE.plusSeconds(30))));
            }
            AtomicInteger rounds = new AtomicInteger();
            trickle.scheduleAtFixedRate(() -> {
                tricklers.forEach(Trickler::oneMoreByte);
                rounds.incrementAndGet();
            }, 0, 1, TimeUnit.SECONDS);
            // Every trickler is in the middle of its body (the server has had their headers for a while).
            await().atMost(Duration.ofSeconds(10)).until(() -> rounds.get() >= 2);

            Orders orders = new Orders(port);
            List<Future<Timed>> placed = new ArrayList<>();
            for (int i = 0; i < CUSTOMERS * 2; i++) {
                String body = Orders.order("Customer " + i + " " + UUID.randomUUID(), null, "TEA-001");
                placed.add(customers.submit(() -> {
                    long start = System.nanoTime();
                    Orders.Response response = orders.place(body);
                    return new Timed(response.status(), Duration.ofNanos(System.nanoTime() - start));
                }));
            }
            Duration slowestCustomer = Duration.ZERO;
            for (Future<Timed> customer : placed) {
                Timed answer = customer.get(30, TimeUnit.SECONDS);
                assertThat(answer.status()).as("a customer's order while %d clients trickle", TRICKLERS).isEqualTo(201);
                assertThat(answer.took()).isLessThan(Duration.ofSeconds(5));
                slowestCustomer = answer.took().compareTo(slowestCustomer) > 0 ? answer.took() : slowestCustomer;
            }
            System.out.printf("%d customers while %d clients trickle: all 201, slowest %d ms%n", placed.size(), TRICKLERS,
                    slowestCustomer.toMillis());
            assertThat(placeAfterContinue()).as("a customer waiting for 100 Continue, meanwhile").isEqualTo(201);

            Duration first = null;
            Duration last = Duration.ZERO;
            for (int i = 0; i < TRICKLERS; i++) {
                Trickler trickler = tricklers.get(i);
                Answer answer = answers.get(i).get(60, TimeUnit.SECONDS);
                first = first == null || answer.afterHeaders().compareTo(first) < 0 ? answer.afterHeaders() : first;
                last = answer.afterHeaders().compareTo(last) > 0 ? answer.afterHeaders() : last;
                assertThat(answer.afterHeaders()).as("answered no sooner than the deadline")
                        .isGreaterThanOrEqualTo(DEADLINE.minusMillis(100));
                assertThat(answer.afterHeaders()).as("and not long after it").isLessThan(DEADLINE.plusSeconds(8));
                assertThat(answer.text()).as(trickler.style + " trickler").startsWith("HTTP/1.1 408");
                assertThat(answer.text()).contains("application/problem+json").contains("/problems/request-timeout");
                assertThat(answer.closed()).as("the connection is closed with the answer").isTrue();
            }
            System.out.printf("%d tricklers answered 408 between %d and %d ms after their headers (deadline %d ms)%n",
                    TRICKLERS, first.toMillis(), last.toMillis(), DEADLINE.toMillis());
        }
        finally {
            trickle.shutdownNow();
            customers.shutdownNow();
            listeners.shutdownNow();
            tricklers.forEach(Trickler::close);
        }
    }

    /**
     * Invariant: a stranger's failures do not lock out an SRE who has the right credential. Wrong
     * credentials of every shape, many more than the limit, from the SRE's own address (a proxy, a
     * NAT) on the open endpoints and on the ops API; then the right one on the ops API is 200, while
     * a further wrong one stays throttled (429). On the open endpoints nothing is judged: they answer
     * 200 to each and count nothing.
     */
    @Test
    void aStrangersWrongCredentialsFromTheSameAddressNeverLockOutTheRightOne() {
        OpsClient ops = new OpsClient(port);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            wrong.add(OpsClient.basic(DukanTestContext.OPS_USER, "guess-" + i));   // the SRE's own name
        }
        for (int i = 0; i < 4; i++) {
            wrong.add(OpsClient.basic("admin" + i, DukanTestContext.OPS_PASSWORD)); // the password, a wrong name
        }
        wrong.add(OpsClient.basic("", ""));
        wrong.add("Basic " + "x".repeat(300));   // not even Base64
        wrong.add(OpsClient.basic(DukanTestContext.OPS_USER, DukanTestContext.OPS_PASSWORD + " "));
        double checksBefore = checks();

        for (String authorization : wrong) {
            for (String open : List.of("/actuator/health", "/actuator/prometheus")) {
                assertThat(ops.send("GET", open, null, authorization).status()).as(open + " judges nothing").isEqualTo(200);
            }
        }
        assertThat(checks()).as("the open endpoints counted nothing").isEqualTo(checksBefore);

        List<Integer> refused = new ArrayList<>();
        for (String authorization : wrong) {
            refused.add(ops.send("GET", "/api/ops/pipeline", null, authorization).status());
        }
        assertThat(refused).as("wrong credentials on the ops API").containsOnly(401, 429).contains(429);

        assertThat(ops.call("GET", "/api/ops/pipeline", null).status()).as("the SRE, after them").isEqualTo(200);
        assertThat(ops.call("GET", "/actuator/health", null).body().has("components")).isTrue();
        assertThat(ops.send("GET", "/api/ops/pipeline", null, OpsClient.basic(DukanTestContext.OPS_USER, "guess-0"))
                .status()).as("the guesser stays throttled").isEqualTo(429);
    }

    /**
     * Invariant: {@code /actuator/health} cannot exhaust the connection pool. 200 concurrent health
     * requests (whole, readiness and the {@code db} component) borrow a handful of connections, not
     * one or two each, and orders placed meanwhile are still 201 quickly.
     */
    @Test
    void twoHundredConcurrentHealthChecksBorrowAHandfulOfConnectionsAndOrdersStillGo() throws Exception {
        Orders orders = new Orders(port);
        // The flood's own client and connections: the customers' client is not what is measured.
        java.net.http.HttpClient probes = java.net.http.HttpClient.newHttpClient();
        ExecutorService flood = Executors.newFixedThreadPool(PROBES);
        ExecutorService customers = Executors.newFixedThreadPool(4);
        try {
            double borrowedBefore = borrowed();
            List<Future<Integer>> health = new ArrayList<>();
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<String> paths = List.of("/actuator/health", "/actuator/health/readiness", "/actuator/health/db");
            for (int i = 0; i < PROBES; i++) {
                String path = paths.get(i % paths.size());
                health.add(flood.submit(() -> {
                    start.await();
                    return probe(probes, path);
                }));
            }
            start.countDown();
            for (Future<Integer> probe : health) {
                assertThat(probe.get(60, TimeUnit.SECONDS)).isIn(200, 404);
            }
            double byHealth = borrowed() - borrowedBefore;
            // The service's own work (ledger polls, leases, heartbeats) borrows a few dozen meanwhile;
            // a health check of its own per request would be two borrows each (400).
            assertThat(byHealth).as("connections borrowed while %d health requests ran", PROBES).isLessThan(PROBES / 2);
            System.out.printf("%d concurrent health requests: %.0f connections borrowed meanwhile%n", PROBES, byHealth);

            List<Future<Timed>> placed = new ArrayList<>();
            for (int i = 0; i < PROBES; i++) {
                String path = paths.get(i % paths.size());
                flood.submit(() -> probe(probes, path));
            }
            for (int i = 0; i < 8; i++) {
                String body = Orders.order("Healthy " + i + " " + UUID.randomUUID(), null, "TEA-001");
                placed.add(customers.submit(() -> {
                    long begin = System.nanoTime();
                    return new Timed(orders.place(body).status(), Duration.ofNanos(System.nanoTime() - begin));
                }));
            }
            Duration slowest = Duration.ZERO;
            for (Future<Timed> order : placed) {
                Timed answer = order.get(30, TimeUnit.SECONDS);
                assertThat(answer.status()).isEqualTo(201);
                slowest = answer.took().compareTo(slowest) > 0 ? answer.took() : slowest;
            }
            System.out.printf("orders during %d concurrent health requests: slowest %d ms%n", PROBES, slowest.toMillis());
            assertThat(slowest).isLessThan(Duration.ofSeconds(3));
        }
        finally {
            flood.shutdownNow();
            customers.shutdownNow();
        }
    }

    static final int PROBES = 200;

    private int probe(java.net.http.HttpClient client, String path) throws Exception {
        return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Connections borrowed from the pool so far (HikariCP's usage timer counts each borrow). */
    private double borrowed() {
        return meters.get("hikaricp.connections.usage").timer().count();
    }

    private double checks() {
        return meters.find("dukan.ops.credential.checks").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /**
     * A customer whose client waits for {@code 100 Continue} before it sends the body (curl does for
     * large bodies): reading the body ahead of the controller must still ask for it. Its status.
     */
    private int placeAfterContinue() throws IOException {
        byte[] body = Orders.order("Expecting " + UUID.randomUUID(), null, "TEA-001").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Expect: 100-continue\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String interim = new String(in.readNBytes("HTTP/1.1 100".length()), StandardCharsets.US_ASCII);
            if (!interim.equals("HTTP/1.1 100")) {
                return Integer.parseInt(interim.substring(9, 12));
            }
            out.write(body);
            out.flush();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int last = answer.lastIndexOf("HTTP/1.1 ");
            return Integer.parseInt(answer.substring(last + 9, last + 12));
        }
    }

    record Timed(int status, Duration took) {
    }

    record Answer(String text, Duration afterHeaders, boolean closed) {
    }

    enum Style { LENGTH, CHUNKED, SILENT }

    /** A raw socket that sent a POST's headers and sends its body one byte per second. */
    static final class Trickler {

        private static final byte[] BODY = Orders.order("Trickler", null, "TEA-001").getBytes(StandardCharsets.UTF_8);

        private final Socket socket;
        private final Style style;
        private final long headersSent;
        private int sent;

        private Trickler(Socket socket, Style style, long headersSent) {
            this.socket = socket;
            this.style = style;
            this.headersSent = headersSent;
        }

        static Trickler open(int port, Style style) throws IOException {
            Socket socket = new Socket("localhost", port);
            String framing = style == Style.CHUNKED ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + BODY.length + "\r\n";
            socket.getOutputStream().write(("POST /api/orders HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\n" + framing + "\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new Trickler(socket, style, System.nanoTime());
        }

        synchronized void oneMoreByte() {
            if (style == Style.SILENT || sent >= BODY.length - 1 || socket.isClosed()) {
                return;
            }
            try {
                OutputStream out = socket.getOutputStream();
                if (style == Style.CHUNKED) {
                    out.write("1\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.write(BODY[sent++]);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                else {
                    out.write(BODY[sent++]);
                }
                out.flush();
            }
            catch (IOException closedByServer) {
                // The server answered and closed: what it said is read by awaitAnswer.
            }
        }

        /** Everything the server sends until it closes the connection (or {@code within} passes). */
        Answer awaitAnswer(Duration within) throws IOException {
            long end = System.nanoTime() + within.toNanos();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            long firstByte = 0;
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            boolean closed = false;
            while (System.nanoTime() < end) {
                socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
                int n;
                try {
                    n = in.read(buffer);
                }
                catch (SocketTimeoutException e) {
                    break;
                }
                catch (IOException reset) {
                    closed = true;
                    break;
                }
                if (n < 0) {
                    closed = true;
                    break;
                }
                if (firstByte == 0) {
                    firstByte = System.nanoTime();
                }
                received.write(buffer, 0, n);
            }
            Duration after = Duration.ofNanos((firstByte == 0 ? System.nanoTime() : firstByte) - headersSent);
            return new Answer(received.toString(StandardCharsets.UTF_8), after, closed);
        }

        void close() {
            try {
                socket.close();
            }
            catch (IOException ignored) {
                // closing
            }
        }
    }
}
