package com.onlinedukan.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Orders;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.onlinedukan.stream.OutboxStream;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Measures the pipeline and prints figures; not part of {@code ./mvnw verify}. Run with
 * {@code ./mvnw -Pbenchmark test}. The figures land on stdout and in
 * {@code target/benchmark.txt}.
 *
 * <p>Telegram's limits are lifted for this context (the fake answers at once): the figures are
 * the service's own capacity, not the rate Telegram allows one chat (BurstTests covers that).
 * Every figure comes with a check that each order was delivered exactly once, so a fast but
 * wrong pipeline cannot produce a good number.
 */
@Tag("benchmark")
@DukanTest
@TestPropertySource(properties = {
        "dukan.telegram.rate.global-per-second=100000",
        "dukan.telegram.rate.per-chat-per-minute=1000000",
        "dukan.telegram.rate.per-chat-per-second=100000",
        "logging.level.com.onlinedukan=WARN" })
class PipelineBenchmark {

    private static final Pattern ORDER_ID = Pattern.compile("<code>([0-9a-f-]{36})</code>");
    private static final int WARMUP = 200;
    private static final int SEQUENTIAL = 500;
    private static final int CONCURRENT = 2000;
    private static final int CLIENTS = 8;
    private static final int STALLED = 200;

    @LocalServerPort
    int port;

    @Autowired
    FakeBotApi telegram;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    OutboxStream stream;

    private final List<String> report = new ArrayList<>();

    @Test
    void pipeline() throws Exception {
        Orders orders = new Orders(port);
        line("PipelineBenchmark  java %s, %d cores, embedded PostgreSQL + Redis, fake Bot API",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());

        Run warmup = placeSequentially(orders, WARMUP, "warmup");
        awaitDelivered(warmup);

        Run sequential = placeSequentially(orders, SEQUENTIAL, "seq");
        Map<String, Instant> arrived = awaitDelivered(sequential);
        line("");
        line("1 client, %d orders, one after the other", SEQUENTIAL);
        line("  POST /api/orders          median %7.1f ms   p95 %7.1f ms   p99 %7.1f ms",
                percentile(sequential.postMillis(), 50), percentile(sequential.postMillis(), 95),
                percentile(sequential.postMillis(), 99));
        List<Double> endToEnd = endToEndMillis(sequential, arrived);
        line("  answered -> Telegram      median %7.1f ms   p95 %7.1f ms   p99 %7.1f ms",
                percentile(endToEnd, 50), percentile(endToEnd, 95), percentile(endToEnd, 99));
        // Where that time goes: the commit time travels in the entry, and an entry id is the
        // Redis clock (ms) at XADD.
        List<Double> relay = new ArrayList<>();
        List<Double> notifier = new ArrayList<>();
        for (MapRecord<String, Object, Object> entry : redis.opsForStream().range(stream.key(), Range.unbounded())) {
            String order = String.valueOf(entry.getValue().get("aggregateId"));
            if (arrived.containsKey(order)) {
                Instant committed = Instant.parse(String.valueOf(entry.getValue().get("committedAt")));
                Instant added = Instant.ofEpochMilli(entry.getId().getTimestamp());
                relay.add((double) Duration.between(committed, added).toMillis());
                notifier.add((double) Duration.between(added, arrived.get(order)).toMillis());
            }
        }
        line("    commit -> stream (relay)   median %7.1f ms   p95 %7.1f ms",
                percentile(relay, 50), percentile(relay, 95));
        line("    stream -> Telegram         median %7.1f ms   p95 %7.1f ms",
                percentile(notifier, 50), percentile(notifier, 95));

        Run concurrent = placeConcurrently(orders, CONCURRENT, CLIENTS);
        Instant lastAnswer = Collections.max(concurrent.answeredAt().values());
        Map<String, Instant> concurrentArrived = awaitDelivered(concurrent);
        Instant lastArrival = Collections.max(concurrentArrived.values());
        double acceptSeconds = Duration.between(concurrent.started(), lastAnswer).toMillis() / 1000.0;
        double drainSeconds = Duration.between(concurrent.started(), lastArrival).toMillis() / 1000.0;
        line("");
        line("%d clients, %d orders at once", CLIENTS, CONCURRENT);
        line("  accepted                  %7.0f orders/s   (%.1f s)", CONCURRENT / acceptSeconds, acceptSeconds);
        line("  delivered to Telegram     %7.0f orders/s   (%.1f s from the first POST to the last message)",
                CONCURRENT / drainSeconds, drainSeconds);
        line("  POST /api/orders          median %7.1f ms   p95 %7.1f ms   p99 %7.1f ms",
                percentile(concurrent.postMillis(), 50), percentile(concurrent.postMillis(), 95),
                percentile(concurrent.postMillis(), 99));
        line("  Telegram messages         %7d          (orders per message: %.1f, digests under load)",
                messagesFor(concurrent), (double) CONCURRENT / messagesFor(concurrent));

        telegram.hold();
        Run stalled;
        try {
            stalled = placeSequentially(orders, STALLED, "stalled");
        }
        finally {
            telegram.release();
        }
        awaitDelivered(stalled);
        Run healthy = placeSequentially(orders, STALLED, "healthy");
        awaitDelivered(healthy);
        double stalledMedian = percentile(stalled.postMillis(), 50);
        double healthyMedian = percentile(healthy.postMillis(), 50);
        line("");
        line("Telegram stalled (requests held unanswered) vs answering, %d orders each", STALLED);
        line("  POST median               stalled %7.1f ms   answering %7.1f ms   ratio %.2f",
                stalledMedian, healthyMedian, stalledMedian / healthyMedian);

        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/benchmark.txt"), report);
    }

    /** What one phase placed: order id -> when its POST was answered, and each POST's duration. */
    private record Run(Instant started, Map<String, Instant> answeredAt, List<Double> postMillis) {
    }

    private Run placeSequentially(Orders orders, int count, String label) {
        String marker = label + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Instant> answered = new ConcurrentHashMap<>();
        List<Double> millis = new ArrayList<>();
        Instant started = Instant.now();
        for (int i = 0; i < count; i++) {
            place(orders, marker + " " + i, answered, millis);
        }
        return new Run(started, answered, millis);
    }

    private Run placeConcurrently(Orders orders, int count, int clients) throws Exception {
        String marker = "concurrent-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Instant> answered = new ConcurrentHashMap<>();
        List<Double> millis = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        Instant started = Instant.now();
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                work.add(pool.submit(() -> {
                    for (int i = client; i < count; i += clients) {
                        place(orders, marker + " " + i, answered, millis);
                    }
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
        }
        finally {
            pool.shutdownNow();
        }
        return new Run(started, answered, new ArrayList<>(millis));
    }

    private static void place(Orders orders, String customer, Map<String, Instant> answered, List<Double> millis) {
        long start = System.nanoTime();
        Orders.Response response = orders.place(Orders.order(customer, null, "TEA-001", "CUP-002"));
        millis.add((System.nanoTime() - start) / 1e6);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        answered.put(response.id(), Instant.now());
    }

    /** Waits until every order of the run has arrived; each exactly once. Returns arrival times. */
    private Map<String, Instant> awaitDelivered(Run run) {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> arrivals().keySet().containsAll(run.answeredAt().keySet()));
        Map<String, List<Instant>> all = arrivals();
        Map<String, Instant> first = new HashMap<>();
        for (String id : run.answeredAt().keySet()) {
            assertThat(all.get(id)).as("messages for order " + id).hasSize(1);
            first.put(id, all.get(id).get(0));
        }
        return first;
    }

    /** Order id -> when each accepted message that mentions it arrived. */
    private Map<String, List<Instant>> arrivals() {
        Map<String, List<Instant>> byOrder = new HashMap<>();
        for (FakeBotApi.Request message : telegram.accepted()) {
            Matcher m = ORDER_ID.matcher(message.text() == null ? "" : message.text());
            while (m.find()) {
                byOrder.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(message.at());
            }
        }
        return byOrder;
    }

    private long messagesFor(Run run) {
        return telegram.accepted().stream()
                .filter(message -> {
                    Matcher m = ORDER_ID.matcher(message.text() == null ? "" : message.text());
                    return m.find() && run.answeredAt().containsKey(m.group(1));
                })
                .count();
    }

    private static List<Double> endToEndMillis(Run run, Map<String, Instant> arrived) {
        List<Double> millis = new ArrayList<>();
        run.answeredAt().forEach((id, answered) -> millis.add(Duration.between(answered, arrived.get(id)).toNanos() / 1e6));
        return millis;
    }

    private static double percentile(List<Double> values, int percentile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    private void line(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        report.add(text);
        System.out.println(text);
    }
}
