package com.onlinedukan.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.onlinedukan.support.FreezableProxy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One service instance: the packaged jar as its own OS process on a fixed port, talking to
 * PostgreSQL and Redis through proxies of its own (so a network cut hits this instance alone) and to
 * its own port of the fake Bot API. It can be killed, stopped, continued and started again.
 */
final class Instance {

    private static final JsonMapper json = JsonMapper.builder().build();

    final int index;
    final String name;
    final int port;
    final FreezableProxy postgres;
    final FreezableProxy redis;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path logDirectory;
    private final HttpClient http;
    private final String authorization;
    private volatile Process process;
    /** Every process this instance ever launched, so that none outlives the run. */
    private final List<Process> launched = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean stopped;
    private int launches;

    Instance(int index, int port, FreezableProxy postgres, FreezableProxy redis, List<String> command,
            Map<String, String> environment, Path logDirectory, String opsUser, String opsPassword) {
        this.index = index;
        this.name = "instance-" + (char) ('a' + index);
        this.port = port;
        this.postgres = postgres;
        this.redis = redis;
        this.command = command;
        this.environment = environment;
        this.logDirectory = logDirectory;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((opsUser + ":" + opsPassword).getBytes(StandardCharsets.UTF_8));
    }

    synchronized void start() throws IOException {
        // Never two processes for one instance: a launch the runner gave up on may still be alive.
        Process previous = process;
        if (previous != null && previous.isAlive()) {
            previous.destroyForcibly();
            try {
                previous.waitFor(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        launches++;
        Path log = logDirectory.resolve(name + "-" + launches + ".log");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        stopped = false;
        process = builder.start();
        launched.add(process);
        System.out.printf("%s: pid %d on port %d (log %s)%n", name, process.pid(), port, log);
    }

    /** Starts the process again if it is not running; false when it was. */
    synchronized boolean startIfExited() throws IOException {
        if (alive()) {
            return false;
        }
        start();
        return true;
    }

    /** Waits until the readiness probe answers 200; false when the process died or the limit passed. */
    boolean awaitReady(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Process current = process;
            if (current == null || !current.isAlive()) {
                return false;
            }
            if (ready()) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    boolean alive() {
        Process current = process;
        return current != null && current.isAlive();
    }

    boolean ready() {
        if (!alive() || stopped) {
            return false;
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(1)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        }
        catch (IOException e) {
            return false;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL: no shutdown hook, no graceful stop, sockets closed by the kernel. */
    void kill() throws InterruptedException {
        Process current = process;
        if (current != null) {
            current.destroyForcibly();
            current.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGSTOP: the process freezes with every socket open, as in a long GC pause or a VM stall. */
    void pause() throws IOException, InterruptedException {
        stopped = true;
        signal("STOP");
    }

    /** SIGCONT. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
        stopped = false;
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process current = process;
        if (current != null && current.isAlive()) {
            new ProcessBuilder("kill", "-" + name, Long.toString(current.pid())).inheritIO().start().waitFor();
        }
    }

    /** SIGTERM and wait (the graceful shutdown). */
    void stop() throws InterruptedException {
        Process current = process;
        if (current != null && current.isAlive()) {
            try {
                resume();
            }
            catch (IOException e) {
                // not stopped
            }
            current.destroy();
            if (!current.waitFor(40, TimeUnit.SECONDS)) {
                current.destroyForcibly().waitFor();
            }
        }
        for (Process any : launched) {
            if (any.isAlive()) {
                any.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code GET /api/ops/...} with the ops credential; empty when the instance does not answer in time. */
    Optional<JsonNode> ops(String path, Duration timeout) {
        if (!alive() || stopped) {
            return Optional.empty();
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(timeout)
                    .header("Authorization", authorization).header("Accept", "application/json").build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(json.readTree(response.body())) : Optional.empty();
        }
        catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** {@code POST /api/ops/...} without a body, as an SRE's tool sends it; the status, empty when it does not answer. */
    Optional<Integer> opsPost(String path, Duration timeout) {
        if (!alive() || stopped) {
            return Optional.empty();
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(timeout)
                    .header("Authorization", authorization).POST(HttpRequest.BodyPublishers.noBody()).build();
            return Optional.of(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Whether this instance says it holds the relay lease ({@code relay.leader} of the pipeline). */
    boolean leads() {
        return leads(Duration.ofSeconds(2));
    }

    /**
     * Whether this instance believes it leads, by its own clock: its {@code dukan_relay_leader} gauge.
     * (The pipeline's {@code relay.leader} is the cluster's view, the same from every instance.)
     */
    boolean leads(Duration timeout) {
        if (!alive() || stopped) {
            return false;
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/actuator/prometheus")).timeout(timeout)
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().lines()
                    .anyMatch(line -> line.matches("dukan_relay_leader(\\{[^}]*\\})? 1(\\.0)?"));
        }
        catch (IOException | RuntimeException e) {
            return false;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
