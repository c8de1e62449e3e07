package com.onlinedukan.chaos;

import com.onlinedukan.support.Threads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Places orders at a steady rate as a careful client does: each order has its own
 * {@code Idempotency-Key}; a timeout, a connection error or a 5xx is retried with the same key and
 * body on the other instance, with backoff, until a {@code 201} (or a give-up limit). Orders
 * alternate between the instances.
 */
final class OrderDriver {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    private final List<Instance> instances;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Duration giveUpAfter;
    private final Map<String, Long> accepted = new ConcurrentHashMap<>();
    private final AtomicLong orders = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final ExecutorService clients = Threads.perTask("order-client");
    private volatile boolean running;
    private Thread pacer;

    OrderDriver(List<Instance> instances, Duration requestTimeout, Duration giveUpAfter) {
        this.instances = instances;
        this.requestTimeout = requestTimeout;
        this.giveUpAfter = giveUpAfter;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).executor(Threads.perTask("order-http")).build();
    }

    /** Starts placing {@code perSecond} orders a second (open loop: a slow answer never delays the next order). */
    void start(double perSecond) {
        running = true;
        long interval = Math.round(1e9 / perSecond);
        pacer = new Thread(() -> {
            long next = System.nanoTime();
            while (running) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                long n = orders.incrementAndGet();
                clients.execute(() -> place(n));
                next += interval;
            }
        }, "order-pacer");
        pacer.setDaemon(true);
        pacer.start();
    }

    /** Stops placing new orders and waits for those in flight (their retries included). */
    void stop() throws InterruptedException {
        running = false;
        pacer.join();
        clients.shutdown();
        clients.awaitTermination(giveUpAfter.toSeconds() + 30, TimeUnit.SECONDS);
    }

    private void place(long n) {
        String key = UUID.randomUUID().toString();
        String body = "{\"customer\":{\"name\":\"Chaos customer " + n + "\",\"phone\":\"+998901234567\"},"
                + "\"items\":[{\"sku\":\"TEA-001\",\"name\":\"Green tea 100g\",\"quantity\":2,\"unitPrice\":12.50}],"
                + "\"comment\":\"Chaos run order " + n + "\"}";
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        long backoff = 100;
        for (int attempt = 0; ; attempt++) {
            Instance target = instances.get((int) ((n + attempt) % instances.size()));
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(target.base() + "/api/orders"))
                        .timeout(requestTimeout).header("Content-Type", "application/json")
                        .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 201) {
                    Matcher id = ID.matcher(response.body());
                    if (id.find()) {
                        accepted.putIfAbsent(id.group(1), System.nanoTime());
                        if (response.headers().firstValue("Idempotent-Replayed").isPresent()) {
                            replayed.incrementAndGet();
                        }
                        return;
                    }
                }
                if (status < 500 && status != 201) {
                    rejected.incrementAndGet();
                    System.out.println("order " + n + " rejected with " + status + ": " + response.body());
                    return;
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (Exception e) {
                // timeout or connection refused/reset: retried below with the same key
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff) > deadline) {
                abandoned.incrementAndGet();
                System.out.println("order " + n + " abandoned after " + (attempt + 1) + " attempts");
                return;
            }
            retries.incrementAndGet();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
            backoff = Math.min(2000, backoff * 2);
        }
    }

    /** Order id → when its 201 arrived (System.nanoTime). */
    Map<String, Long> accepted() {
        return accepted;
    }

    long orders() {
        return orders.get();
    }

    long retries() {
        return retries.get();
    }

    long abandoned() {
        return abandoned.get();
    }

    long rejected() {
        return rejected.get();
    }

    long replayed() {
        return replayed.get();
    }
}
