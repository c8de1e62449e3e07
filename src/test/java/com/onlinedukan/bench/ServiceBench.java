package com.onlinedukan.bench;

import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.OpsClient;
import com.onlinedukan.support.Orders;
import com.onlinedukan.support.Runner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * The service benchmark a reviewer can rerun ({@code bench/run.sh [--quick]}): the packaged jar
 * as its own process against the PostgreSQL and Redis that bench/run.sh started, a fake Bot API
 * in this process, an open-loop and closed-loop order load, and pgbench on a copy of the schema as
 * the floor. Every phase checks that each accepted order reached the fake Telegram exactly once.
 */
public final class ServiceBench {

    static final String BOT_TOKEN = "123456:bench-token";
    static final String CHAT_ID = "-1001234567890";
    /** The ops password the service is started with, and the bench's SRE calls the ops API with. */
    static final String OPS_PASSWORD = "bench";

    final Map<String, String> args;
    final boolean quick;
    final Report report;
    final FakeBotApi telegram;
    final Pgbench floor;
    final Path logs;
    Process service;
    Map<String, String> serviceEnv = Map.of();
    ProcessStats stats;
    OrderLoad load;
    int port;
    int launches;
    /** Orders not at Telegram when their phase's wait ended: phase, id, 201 time. */
    final List<String[]> late = new ArrayList<>();

    ServiceBench(Map<String, String> args) throws IOException {
        this.args = args;
        this.quick = args.containsKey("quick");
        this.telegram = FakeBotApi.start(1, false);
        Path work = Path.of(arg("work-dir", System.getProperty("java.io.tmpdir")));
        this.floor = new Pgbench(arg("pgbench", "pgbench"), Integer.parseInt(arg("pg-port", "5432")), work);
        this.logs = Path.of("target", "bench");
        Files.createDirectories(logs);
        this.report = new Report(quick, plainLaunch().jvmArgs());
    }

    public static void main(String[] argv) throws Exception {
        ServiceBench bench = new ServiceBench(Runner.arguments(argv));
        Runner.exit(() -> {
            bench.run();
            return true;
        }, () -> {
            Process service = bench.service;
            if (service != null) {
                service.destroyForcibly();
            }
        }, () -> {
            bench.stopService();
            bench.telegram.close();
        });
    }

    String arg(String name, String otherwise) {
        return args.getOrDefault(name, otherwise);
    }

    int intArg(String name, int quickValue, int fullValue) {
        return Integer.parseInt(arg(name, Integer.toString(quick ? quickValue : fullValue)));
    }

    void run() throws Exception {
        int closedSeconds = intArg("closed-seconds", 8, 20);
        int burstSeconds = intArg("burst-seconds", 15, 15);
        int openSeconds = intArg("open-seconds", 10, 30);
        int floorSeconds = intArg("floor-seconds", 5, 15);
        int warmupSeconds = intArg("warmup-seconds", 60, 60);
        int outageSeconds = intArg("outage-seconds", 15, 60);
        int outageRate = intArg("outage-rate", 100, 100);
        int slowTelegramMillis = intArg("slow-telegram-ms", 3000, 3000);
        List<Double> rates = Arrays.stream(arg("rates", quick ? "100,250,500,750,1000,1500" : "50,100,250,500,750,1000,1250,1500,2000")
                .split(",")).map(Double::parseDouble).toList();

        report.machine(Runtime.getRuntime().availableProcessors(), arg("java", "java"), javaVersion(arg("java", "java")));
        args.keySet().stream().filter(k -> k.startsWith("env.")).sorted()
                .forEach(k -> report.note("Service setting from the command line: " + k.substring(4) + "=" + args.get(k)));
        startService(lifted());

        // Warm-up: JIT, connection pools, the relay's first batches; until the JIT has settled.
        warmUp(warmupSeconds, intArg("warmup-max-seconds", 240, 300));
        Thread.sleep(3000);
        report.rssIdle(stats.rssMiB());

        // 1. Closed loop beside pgbench at the same concurrency.
        // --only=open: the open-loop ladder alone (with --jfr, recorded during its first rate).
        boolean openOnly = arg("only", "").equals("open");
        int[] closedClients = openOnly ? new int[0]
                : Arrays.stream(arg("clients", "1,8,32").split(",")).mapToInt(Integer::parseInt).toArray();
        for (int clients : closedClients) {
            // 8 and 32 clients are bursts: the drain after them is a goal (Report.goals).
            int seconds = clients >= 8 ? burstSeconds : closedSeconds;
            ProcessStats cpuStats = stats;
            double cpu = stats.cpuMillis();
            OrderLoad.Result run = load.closedLoop(clients + " clients", clients, Duration.ofSeconds(seconds));
            Report.Delivery delivery = check(run, Duration.ofSeconds(60));
            double cpuMillis = cpuPerOrder(cpuStats, cpu, run);
            report.cpu(run.name(), cpuMillis);
            Pgbench.Run pg = floor.run(clients, seconds, 0);
            report.closedLoop(clients, run, pg.tps(), delivery);
            System.out.printf(java.util.Locale.ROOT, "%d clients: %.0f orders/s, floor %.0f tps, ratio %.3f, %.2f CPU ms per order%n",
                    clients, run.perSecond(), pg.tps(), run.perSecond() / pg.tps(), cpuMillis);
            if (clients == 8) {
                // The goal's ratio: one pair (a burst, then pgbench) moved by a quarter between runs
                // of the same code on this machine, so the goal is the median of several pairs.
                report.ratioPair(run.perSecond(), pg.tps());
                // The further pairs also say where the machine's CPU goes, by process, for an order and for pgbench's transaction.
                MachineCpu machine = new MachineCpu(service.pid());
                Map<String, Double> postCpu = new java.util.LinkedHashMap<>();
                Map<String, Double> floorCpu = new java.util.LinkedHashMap<>();
                long orders = 0;
                long transactions = 0;
                for (int pair = 2; pair <= intArg("ratio-pairs", 5, 5); pair++) {
                    Map<String, Double> before = machine.snapshot();
                    OrderLoad.Result again = load.closedLoop("8 clients, pair " + pair, 8, Duration.ofSeconds(seconds));
                    Report.Delivery drained = check(again, Duration.ofSeconds(60));
                    Map<String, Double> between = machine.snapshot();
                    Pgbench.Run floorRun = floor.run(8, seconds, 0);
                    MachineCpu.between(before, between).forEach((group, ms) -> postCpu.merge(group, ms, Double::sum));
                    MachineCpu.between(between, machine.snapshot()).forEach((group, ms) -> floorCpu.merge(group, ms, Double::sum));
                    orders += again.accepted().size();
                    transactions += floorRun.transactions();
                    report.ratioPair(again, drained, floorRun.tps());
                }
                System.out.println(report.machineCpu(postCpu, orders, floorCpu, transactions));
                pausedPairs(machine, seconds);
            }
        }

        if (args.containsKey("jfr") && !openOnly) {
            // The profile comes from a burst of its own, so that JFR's overhead is in none of the figures above.
            resetStatements();
            startJfr(burstSeconds);
            OrderLoad.Result profiled = load.closedLoop("8 clients, profiled", 8, Duration.ofSeconds(burstSeconds));
            readJfr();
            check(profiled, Duration.ofSeconds(60));
            readStatements(profiled.accepted().size());
        }

        if (arg("only", "").equals("throughput")) {
            // --only=throughput: the closed-loop figures on the console, for a quick look at a change.
            return;
        }
        if (arg("only", "").equals("cold")) {
            // --only=cold: the warmed 8-client rate, then fresh processes: no warm-up, the warm-up, the warm-up and the AOT cache.
            coldStarts(warmedRate());
            report.write(Path.of(arg("out", "BENCHMARKS.md")), Path.of(arg("svg", "bench/latency.svg")));
            return;
        }

        // 4. The customer does not wait for Telegram.
        for (int delay : openOnly ? new int[0] : new int[] {0, slowTelegramMillis}) {
            telegram.delay(Duration.ofMillis(delay));
            OrderLoad.Result run = load.openLoop("100/s, Telegram " + delay + " ms", 100,
                    Duration.ofSeconds(intArg("slow-seconds", 20, 30)));
            telegram.delay(Duration.ZERO);
            Report.Delivery delivery = check(run, Duration.ofSeconds(120));
            report.slowTelegram(delay, run, delivery);
        }

        // 2. and 3. Open loop: latency against arrival rate, commit -> Telegram, the floor at the same rate.
        for (double rate : rates) {
            ProcessStats cpuStats = stats;
            double cpu = stats.cpuMillis();
            RssSampler rss = RssSampler.start(stats);
            if (openOnly && rate == rates.get(0)) {
                startJfr(openSeconds);
            }
            OrderLoad.Result run = load.openLoop(rate + "/s", rate, Duration.ofSeconds(openSeconds));
            if (openOnly && rate == rates.get(0)) {
                readJfr();
            }
            rss.stop();
            Report.Delivery delivery = check(run, Duration.ofSeconds(intArg("phase-wait-seconds", 60, 120)));
            report.cpu(run.name(), cpuPerOrder(cpuStats, cpu, run));
            Pgbench.Run pg = floor.run(8, floorSeconds, rate);
            report.openLoop(rate, run, delivery, pg.latencyMicros(), rss.last(), rss.max());
            if (run.millis(50) > 2000) {
                report.note("Stopped the rate ladder after " + (int) rate + "/s: its POST median was over 2 s.");
                break;
            }
        }
        if (openOnly) {
            return;
        }

        // 5. Outage and recovery at Telegram's real budget, with the fake enforcing it.
        int botPerSecond = intArg("rate-global", 30, 30);
        int chatPerMinute = intArg("rate-chat-minute", 20, 20);
        int chatPerSecond = intArg("rate-chat-second", 1, 1);
        stopService();
        Map<String, String> realistic = new HashMap<>();
        realistic.put("DUKAN_TELEGRAM_RATE_GLOBALPERSECOND", Integer.toString(botPerSecond));
        realistic.put("DUKAN_TELEGRAM_RATE_PERCHATPERMINUTE", Integer.toString(chatPerMinute));
        realistic.put("DUKAN_TELEGRAM_RATE_PERCHATPERSECOND", Integer.toString(chatPerSecond));
        startService(realistic);
        telegram.budgets(new FakeBotApi.Budgets(botPerSecond, chatPerMinute, chatPerSecond, 50));
        // A fresh process: warm it a little (a few digests' worth, inside the chat's burst) before the outage.
        OrderLoad.Result rewarm = load.openLoop("warm-up, real budget", 50, Duration.ofSeconds(intArg("outage-warmup-seconds", 3, 5)));
        check(rewarm, Duration.ofSeconds(120));
        long rateLimitedBefore = telegram.counters().rateLimited();
        telegram.failAll(502, "Bad Gateway");
        OrderLoad.Result during = load.openLoop(outageRate + "/s, Telegram down", outageRate,
                Duration.ofSeconds(outageSeconds));
        long messagesBefore = telegram.counters().accepted();
        long recovered = System.nanoTime();
        telegram.recover();
        int perMessage = Integer.parseInt(arg("max-per-message", "50"));
        double budgetOrdersPerSecond = Math.min(botPerSecond, Math.min(chatPerSecond, chatPerMinute / 60.0)) * perMessage;
        long drainLimit = Math.max(120, Math.round(3 * during.accepted().size() / budgetOrdersPerSecond));
        Report.Delivery delivery = check(during, Duration.ofSeconds(drainLimit));
        report.outage(outageSeconds, outageRate, during, delivery, recovered, telegram.counters().accepted() - messagesBefore,
                telegram.counters().rateLimited() - rateLimitedBefore, botPerSecond, chatPerMinute, chatPerSecond, perMessage);
        telegram.budgets(FakeBotApi.Budgets.NONE);

        // 7. The first minute after a deploy, with and without the AOT cache.
        if (!arg("cold", "true").equals("false")) {
            coldStarts(warmedRate());
        }

        awaitLate(Duration.ofSeconds(intArg("late-wait-seconds", 180, 180)));
        ledgerFindings();
        report.machine(Runtime.getRuntime().availableProcessors(), arg("java", "java"), javaVersion(arg("java", "java")));
        report.write(Path.of(arg("out", "BENCHMARKS.md")), Path.of(arg("svg", "bench/latency.svg")));
    }

    /**
     * How the gap to the floor splits, beside the goal's pairs and not part of it: 8-client bursts
     * with delivery paused (the relay and the inbox run and register every order; nothing is sent),
     * each followed by its sends once delivery resumes, then pgbench. The burst's rate against
     * pgbench is the front door's with the notifier's sending half out of the way; the machine's CPU
     * is split between the burst and the sends after it. The sends then go as full digests, so
     * their CPU per order is below what the same sends cost during a burst.
     */
    private void pausedPairs(MachineCpu machine, int seconds) throws Exception {
        int pairs = intArg("paused-pairs", 2, 2);
        Map<String, Double> burstCpu = new java.util.LinkedHashMap<>();
        Map<String, Double> sendCpu = new java.util.LinkedHashMap<>();
        long orders = 0;
        for (int pair = 1; pair <= pairs; pair++) {
            ops("/api/ops/delivery/pause");
            Map<String, Double> before = machine.snapshot();
            OrderLoad.Result paused = load.closedLoop("8 clients, delivery paused, pair " + pair, 8,
                    Duration.ofSeconds(seconds));
            Map<String, Double> burstEnd = machine.snapshot();
            ops("/api/ops/delivery/resume");
            Report.Delivery sent = check(paused, Duration.ofSeconds(120));
            Map<String, Double> sentEnd = machine.snapshot();
            Pgbench.Run floorRun = floor.run(8, seconds, 0);
            MachineCpu.between(before, burstEnd).forEach((group, ms) -> burstCpu.merge(group, ms, Double::sum));
            MachineCpu.between(burstEnd, sentEnd).forEach((group, ms) -> sendCpu.merge(group, ms, Double::sum));
            orders += paused.accepted().size();
            report.pausedPair(paused, sent, floorRun.tps());
        }
        System.out.println(report.pausedCpu(burstCpu, sendCpu, orders));
    }

    /** An ops API call as the bench's SRE (POST, no body); fails unless it is answered 200. */
    private void ops(String path) {
        Orders.Response response = new OpsClient(port).send("POST", path, null, OpsClient.basic("ops", OPS_PASSWORD));
        if (response.status() != 200) {
            throw new IllegalStateException("POST " + path + " answered " + response.status() + ": " + response.raw().body());
        }
    }

    /**
     * Load at 8 clients in rounds of {@code warmup-round-seconds} until the service's JIT has settled: at least
     * {@code minSeconds} under load, then until a round's compilation time (jvm_compilation_time_ms_total) is under
     * {@code warmup-jit-share} of the round's wall time, or {@code maxSeconds} have passed. A fresh JVM of this service
     * spends most of its CPU in the JIT for its first one to two minutes under load; each round is reported, so the
     * cold figures stay visible beside the steady ones.
     */
    void warmUp(int minSeconds, int maxSeconds) throws Exception {
        int roundSeconds = intArg("warmup-round-seconds", 10, 10);
        double settledShare = Double.parseDouble(arg("warmup-jit-share", "0.05"));
        long start = System.nanoTime();
        for (int round = 1;; round++) {
            double cpuBefore = stats.cpuMillis();
            double jitBefore = jitMillis();
            OrderLoad.Result run = load.closedLoop("warm-up " + round, 8, Duration.ofSeconds(roundSeconds));
            double cpuMillis = cpuPerOrder(stats, cpuBefore, run);
            double jitShare = (jitMillis() - jitBefore) / (run.seconds() * 1000);
            check(run, Duration.ofSeconds(60));
            double underLoad = (System.nanoTime() - start) / 1e9;
            report.warmUp(round, underLoad, run, jitShare, cpuMillis);
            System.out.printf(java.util.Locale.ROOT, "warm-up round %d: %.0f orders/s, JIT %.0f %% of one core, %.2f CPU ms per order%n",
                    round, run.perSecond(), jitShare * 100, cpuMillis);
            if (underLoad >= minSeconds && jitShare < settledShare) {
                report.note(String.format(java.util.Locale.ROOT, "Warm-up: %d rounds of %d s at 8 clients; the JIT had "
                        + "settled (under %.0f %% of one core in the last round) after %.0f s under load.", round,
                        roundSeconds, settledShare * 100, underLoad));
                return;
            }
            if (underLoad >= maxSeconds) {
                report.note(String.format(java.util.Locale.ROOT, "Warm-up stopped after %.0f s under load with the JIT "
                        + "still at %.0f %% of one core: the figures below include JIT work.", underLoad, jitShare * 100));
                return;
            }
        }
    }

    /**
     * 7. The first minute after a deploy: fresh processes, in turn without and with the AOT cache, each timed
     * from its start to readiness, then 8 clients for {@code cold-first-seconds} and the rest of a minute. The
     * figures are shares of {@code warmedRate}, the warmed service's 8-client rate of the same run.
     */
    void coldStarts(double warmedRate) throws Exception {
        List<Launch> launches = new ArrayList<>();
        // --cold-launches=aot: the AOT launches alone, e.g. an A/B of two caches (--aot-cache=a/x.aot,b/x.aot).
        if (!arg("cold-launches", "all").equals("aot")) {
            launches.addAll(List.of(plainLaunch().withoutWarmUp(), plainLaunch()));
        }
        List<Launch> aot = aotLaunches();
        if (aot.isEmpty()) {
            report.note("No AOT cache at " + arg("aot-cache", "target/aot/onlinedukan.aot") + ": section 7 has the "
                    + "plain jar only (bench/aot-cache.sh makes one on JDK 25).");
        }
        launches.addAll(aot);
        int first = intArg("cold-first-seconds", 20, 20);
        int minute = intArg("cold-minute-seconds", 60, 60);
        int repeats = intArg("cold-repeats", 2, 3);
        for (int round = 1; round <= repeats; round++) {
            for (Launch launch : launches) {
                stopService();
                long started = System.nanoTime();
                startService(lifted(), launch);
                double ready = (System.nanoTime() - started) / 1e9;
                OrderLoad.Result early = load.closedLoop("fresh JVM, first " + first + " s (" + launch.label() + ")", 8,
                        Duration.ofSeconds(first));
                OrderLoad.Result rest = load.closedLoop("fresh JVM, to " + minute + " s (" + launch.label() + ")", 8,
                        Duration.ofSeconds(minute - first));
                check(early, Duration.ofSeconds(120));
                check(rest, Duration.ofSeconds(120));
                double minuteRate = (early.accepted().size() + rest.accepted().size()) / (early.seconds() + rest.seconds());
                report.coldStart(launch.label(), round, ready, early.perSecond(), minuteRate, warmedRate);
                System.out.printf(java.util.Locale.ROOT, "cold start %d, %s: ready in %.1f s, first %d s %.0f/s (%.2f of warmed), "
                        + "first minute %.0f/s (%.2f)%n", round, launch.label(), ready, first, early.perSecond(),
                        early.perSecond() / warmedRate, minuteRate, minuteRate / warmedRate);
            }
        }
    }

    /** The warmed service's 8-client closed-loop rate of this run (section 1), the reference of section 7. */
    double warmedRate() {
        return report.closedRate(8).orElseThrow(() -> new IllegalStateException(
                "section 7 compares with the 8-client closed loop of section 1: run it (--clients must include 8)"));
    }

    /** The service's accumulated JIT compilation time, from its Prometheus endpoint. */
    double jitMillis() throws IOException, InterruptedException {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines().filter(line -> line.startsWith("jvm_compilation_time_ms_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** Telegram's limits lifted: the figures are the service's own. */
    static Map<String, String> lifted() {
        return Map.of("DUKAN_TELEGRAM_RATE_GLOBALPERSECOND", "100000",
                "DUKAN_TELEGRAM_RATE_PERCHATPERMINUTE", "6000000",
                "DUKAN_TELEGRAM_RATE_PERCHATPERSECOND", "100000");
    }

    /** How the service's process is launched: the jar, the JVM's options and settings of its own. */
    record Launch(String label, String jar, String jvmArgs, Map<String, String> env) {

        /** The same launch with the service's warm-up before readiness turned off. */
        Launch withoutWarmUp() {
            return new Launch(label.replace(", warm-up", "") + ", no warm-up", jar, jvmArgs,
                    Map.of("DUKAN_ORDERS_WARMUP", "0s"));
        }
    }

    /**
     * The jar as deployed: its defaults, so a warm-up of up to dukan.orders.warm-up (60 s) before it reports
     * ready, and a fixed heap as the image runs it (-Xms = -Xmx: README, "In production").
     */
    Launch plainLaunch() {
        return new Launch("the jar, warm-up", arg("jar", "target/onlinedukan.jar"),
                arg("jvm-args", "-Xms512m -Xmx512m -XX:+ExitOnOutOfMemoryError"), Map.of());
    }

    /**
     * The extracted jar with the JDK 25 AOT cache of bench/aot-cache.sh, when there is one; or, for
     * {@code --aot-cache} naming several (comma-separated), one launch per cache, each with the jar
     * beside it and named by its directory, taken in turn in each round.
     */
    List<Launch> aotLaunches() {
        String[] caches = arg("aot-cache", "target/aot/onlinedukan.aot").split(",");
        List<Launch> launches = new ArrayList<>();
        for (String name : caches) {
            Path cache = Path.of(name);
            if (!Files.isRegularFile(cache)) {
                continue;
            }
            String label = caches.length == 1 ? "AOT cache (JDK 25, bench/aot-cache.sh), warm-up"
                    : "AOT cache " + cache.toAbsolutePath().getParent().getFileName() + ", warm-up";
            String jar = caches.length == 1 ? arg("aot-jar", cache.resolveSibling("onlinedukan.jar").toString())
                    : cache.resolveSibling("onlinedukan.jar").toString();
            launches.add(new Launch(label, jar, plainLaunch().jvmArgs() + " -XX:AOTCache=" + cache, Map.of()));
        }
        return launches;
    }

    void startService(Map<String, String> extra) throws Exception {
        startService(extra, plainLaunch());
    }

    void startService(Map<String, String> extra, Launch launch) throws Exception {
        serviceEnv = extra;
        port = freePort();
        launches++;
        Path log = logs.resolve("service-" + launches + ".log");
        List<String> command = new ArrayList<>(List.of(arg("java", "java")));
        command.addAll(Arrays.asList(launch.jvmArgs().split(" ")));
        command.addAll(List.of("-jar", launch.jar()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.putAll(environment(port, arg("pg-port", "5432"), arg("redis-port", "6379"), telegram.url()));
        env.put("LOGGING_LEVEL_COM_ONLINEDUKAN", arg("service-log-level", "WARN"));
        env.putAll(launch.env());
        env.putAll(extra);
        // --env.NAME=value: any further setting of the service, e.g. --env.DUKAN_RELAY_POLLINTERVAL=10ms
        args.forEach((key, value) -> {
            if (key.startsWith("env.")) {
                env.put(key.substring(4), value);
            }
        });
        service = builder.start();
        stats = new ProcessStats(service.pid());
        load = new OrderLoad(port);
        awaitReady(service, port, log, Duration.ofSeconds(180));
        System.out.printf("service pid %d on port %d (log %s)%n", service.pid(), port, log);
    }

    /**
     * The service's settings as environment variables, nothing else: HTTP on {@code port}, the PostgreSQL
     * and Redis that bench/run.sh started, a fake Bot API at {@code telegramUrl}, the ops credential.
     */
    static Map<String, String> environment(int port, String pgPort, String redisPort, String telegramUrl) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:" + pgPort + "/dukan");
        env.put("SPRING_DATASOURCE_USERNAME", "postgres");
        env.put("SPRING_DATASOURCE_PASSWORD", "bench");
        env.put("SPRING_DATA_REDIS_HOST", "127.0.0.1");
        env.put("SPRING_DATA_REDIS_PORT", redisPort);
        env.put("TELEGRAM_BOT_TOKEN", BOT_TOKEN);
        env.put("TELEGRAM_CHAT_ID", CHAT_ID);
        env.put("TELEGRAM_API_URL", telegramUrl);
        env.put("DUKAN_EMBEDDED_ENABLED", "false");
        env.put("DUKAN_OPS_PASSWORD", OPS_PASSWORD);
        return env;
    }

    /** Waits until the service on {@code port} answers its readiness probe; fails when it exits or {@code limit} passes. */
    static void awaitReady(Process service, int port, Path log, Duration limit) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (!service.isAlive()) {
                throw new IllegalStateException("the service exited; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            }
            catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the service was not ready in " + limit.toSeconds() + " s; see " + log);
            }
            Thread.sleep(50);
        }
    }

    /** CPU ms per accepted order; NaN when the process that started the phase did not finish it. */
    double cpuPerOrder(ProcessStats before, double cpuBefore, OrderLoad.Result run) {
        return before != stats ? Double.NaN : (stats.cpuMillis() - cpuBefore) / Math.max(1, run.accepted().size());
    }

    /** A phase that killed the service (an overload past its heap, say) is reported, and a new process takes over. */
    void ensureAlive(String phase) throws Exception {
        boolean healthy = service.isAlive();
        if (healthy) {
            try {
                healthy = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/actuator/health/liveness")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            }
            catch (IOException e) {
                healthy = false;
            }
        }
        if (!healthy) {
            String why = service.isAlive() ? "stopped answering its liveness probe" : "exited with status " + service.exitValue();
            report.note(String.format("The service %s during or after phase %s (see target/bench/service-%d.log); "
                    + "a new process was started on the same database and Redis, and the phase's orders were checked "
                    + "against what both delivered.", why, phase, launches));
            System.out.println("service " + why + " in phase " + phase + "; restarting");
            if (service.isAlive()) {
                service.destroyForcibly().waitFor();
            }
            startService(serviceEnv);
            OrderLoad.Result warm = load.closedLoop("warm-up after restart", 8, Duration.ofSeconds(intArg("warmup-seconds", 10, 30)));
            awaitDelivered(warm, Duration.ofSeconds(60));
        }
    }

    private void awaitDelivered(OrderLoad.Result run, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline && missing(run) > 0) {
            Thread.sleep(50);
        }
    }

    void stopService() throws InterruptedException {
        if (service != null && service.isAlive()) {
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * Waits until every accepted order of {@code run} is at the fake Telegram (or the limit passes),
     * then gives late duplicates half a second; the delivery figures of the phase.
     */
    Report.Delivery check(OrderLoad.Result run, Duration limit) throws Exception {
        ensureAlive(run.name());
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline && missing(run) > 0) {
            Thread.sleep(50);
        }
        Thread.sleep(500);
        Histogram toTelegram = new Histogram(TimeUnit.MINUTES.toMicros(30), 3);
        long missing = 0;
        long duplicates = 0;
        long lastArrival = run.startNanos();
        for (Map.Entry<String, Long> order : run.accepted().entrySet()) {
            Collection<Long> arrivals = telegram.arrivals(order.getKey());
            if (arrivals.isEmpty()) {
                missing++;
                late.add(new String[] {run.name(), order.getKey(), Long.toString(order.getValue())});
                continue;
            }
            duplicates += arrivals.size() - 1;
            long first = arrivals.stream().mapToLong(Long::longValue).min().getAsLong();
            lastArrival = Math.max(lastArrival, first);
            toTelegram.recordValue(Math.max(0, Math.min(toTelegram.getHighestTrackableValue(), (first - order.getValue()) / 1000)));
        }
        Report.Delivery delivery = new Report.Delivery(run.accepted().size(), missing, duplicates, toTelegram, lastArrival);
        System.out.printf("%-28s %6d accepted (%5.0f/s), %d errors, POST p50 %.1f ms p99 %.1f ms p99.9 %.1f ms;"
                + " Telegram: %d missing, %d duplicates, p50 %.0f ms p99 %.0f ms%n",
                run.name(), run.accepted().size(), run.perSecond(), run.errors(), run.millis(50), run.millis(99),
                run.millis(99.9), missing, duplicates, delivery.millis(50), delivery.millis(99));
        return delivery;
    }

    /** Orders a phase's wait missed may still come (the reconciler writes what the stream lost after its grace). */
    void awaitLate(Duration limit) throws InterruptedException {
        if (late.isEmpty()) {
            return;
        }
        System.out.printf("waiting up to %d s for %d orders that missed their phase's wait%n", limit.toSeconds(), late.size());
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline && late.stream().anyMatch(o -> telegram.arrivals(o[1]).isEmpty())) {
            Thread.sleep(250);
        }
        for (String[] order : late) {
            Collection<Long> arrivals = telegram.arrivals(order[1]);
            report.note(arrivals.isEmpty()
                    ? String.format("Order %s (phase %s) never reached the fake Telegram (waited %d s more after the phase).",
                            order[1], order[0], limit.toSeconds())
                    : String.format(java.util.Locale.ROOT, "Order %s (phase %s) was not at the fake Telegram when its phase's "
                            + "wait ended; it arrived %.1f s after its 201 (%d cop%s).", order[1], order[0],
                            (arrivals.stream().mapToLong(Long::longValue).min().getAsLong() - Long.parseLong(order[2])) / 1e9,
                            arrivals.size(), arrivals.size() == 1 ? "y" : "ies"));
        }
    }

    /** What the service's own tables say went wrong: stream entries it judged poison, dead notifications. */
    void ledgerFindings() {
        String url = "jdbc:postgresql://127.0.0.1:" + arg("pg-port", "5432") + "/dukan";
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(url, "postgres", "bench");
                java.sql.Statement sql = db.createStatement()) {
            try (java.sql.ResultSet rows = sql.executeQuery(
                    "SELECT reason, count(*) FROM stream_poison GROUP BY reason")) {
                while (rows.next()) {
                    report.note(String.format("The service judged %d stream entries poison (\"%s\"); "
                            + "see stream_poison and the service log.", rows.getLong(2), rows.getString(1)));
                }
            }
            try (java.sql.ResultSet rows = sql.executeQuery(
                    "SELECT status, count(*) FROM notification GROUP BY status ORDER BY status")) {
                StringBuilder counts = new StringBuilder();
                while (rows.next()) {
                    counts.append(counts.isEmpty() ? "" : ", ").append(rows.getString(1)).append(' ').append(rows.getLong(2));
                }
                report.note("The ledger at the end of the run: " + counts + ".");
            }
        }
        catch (java.sql.SQLException e) {
            report.note("Could not read the service's tables: " + e.getMessage());
        }
    }

    /** pg_stat_statements, where bench/run.sh loaded it (it lives in the "postgres" database). */
    private java.sql.Connection statementsDatabase() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + arg("pg-port", "5432") + "/postgres",
                "postgres", "bench");
    }

    /** With --jfr: PostgreSQL's statement counters start from zero for the profiled burst. */
    void resetStatements() {
        try (java.sql.Connection db = statementsDatabase(); java.sql.Statement sql = db.createStatement()) {
            sql.execute("SELECT pg_stat_statements_reset()");
        }
        catch (java.sql.SQLException e) {
            report.note("pg_stat_statements is not there (bench/run.sh loads it): " + e.getMessage());
        }
    }

    /** With --jfr: the service database's statements since {@link #resetStatements()}, the costliest first. */
    void readStatements(long accepted) {
        try (java.sql.Connection db = statementsDatabase(); java.sql.Statement sql = db.createStatement();
                java.sql.ResultSet rows = sql.executeQuery("""
                        SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls, rows, total_exec_time,
                               sum(total_exec_time) OVER () AS total
                          FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
                         WHERE d.datname = 'dukan'
                         ORDER BY total_exec_time DESC""")) {
            List<String[]> top = new ArrayList<>();
            double total = 0;
            while (rows.next()) {
                total = rows.getDouble("total");
                if (top.size() < 15) {
                    String query = rows.getString("query").replace('|', '/').replace('`', '\'');
                    double millis = rows.getDouble("total_exec_time");
                    top.add(new String[] { query.length() > 110 ? query.substring(0, 110) + " …" : query,
                            Long.toString(rows.getLong("calls")), Long.toString(rows.getLong("rows")),
                            String.format(java.util.Locale.ROOT, "%.3f", millis / Math.max(1, rows.getLong("calls"))),
                            String.format(java.util.Locale.ROOT, "%.3f", millis / Math.max(1, accepted)),
                            String.format(java.util.Locale.ROOT, "%.0f %%", 100 * millis / Math.max(1e-9, total)) });
                }
            }
            report.statements(accepted, total, top);
        }
        catch (java.sql.SQLException e) {
            report.note("pg_stat_statements could not be read: " + e.getMessage());
        }
    }

    /** With --jfr: a JFR recording of the service during the 8-client burst; the hottest top frames. */
    void startJfr(int seconds) {
        if (!args.containsKey("jfr")) {
            return;
        }
        Path bin = Path.of(arg("java", "java")).toAbsolutePath().getParent();
        Path file = logs.resolve("service.jfr").toAbsolutePath();
        try {
            new ProcessBuilder(bin.resolve("jcmd").toString(), Long.toString(service.pid()), "JFR.start",
                    "duration=" + seconds + "s", "settings=profile", "filename=" + file, arg("jfr-options", "name=bench"))
                    .inheritIO().start().waitFor();
        }
        catch (IOException | InterruptedException e) {
            report.note("JFR did not start: " + e.getMessage());
        }
    }

    void readJfr() {
        if (!args.containsKey("jfr")) {
            return;
        }
        Path bin = Path.of(arg("java", "java")).toAbsolutePath().getParent();
        Path file = logs.resolve("service.jfr").toAbsolutePath();
        try {
            Thread.sleep(2000);
            Process print = new ProcessBuilder(bin.resolve("jfr").toString(), "print", "--events", "jdk.ExecutionSample",
                    file.toString()).redirectErrorStream(true).start();
            Map<String, Integer> top = new HashMap<>();
            Map<String, Integer> anywhere = new HashMap<>();
            Map<String, Integer> threads = new HashMap<>();
            boolean first = false;
            int samples = 0;
            for (String line : new String(print.getInputStream().readAllBytes()).lines().toList()) {
                String t = line.trim();
                if (t.startsWith("jdk.ExecutionSample")) {
                    first = true;
                    samples++;
                }
                else if (t.startsWith("sampledThread")) {
                    threads.merge(t.replaceAll("^sampledThread = \"|\".*$", "").replaceAll("[0-9]+", "N"), 1, Integer::sum);
                }
                else if (t.startsWith("stackTrace")) {
                    continue;
                }
                else if (t.contains("line:") && !t.startsWith("...")) {
                    String frame = t.replaceAll("\\s+line:.*", "");
                    if (first) {
                        top.merge(frame, 1, Integer::sum);
                        first = false;
                    }
                    if (frame.startsWith("com.onlinedukan")) {
                        anywhere.merge(frame, 1, Integer::sum);
                    }
                }
            }
            print.waitFor();
            report.jfr(samples, threads, top, anywhere);
        }
        catch (IOException | InterruptedException e) {
            report.note("JFR could not be read: " + e.getMessage());
        }
    }

    private long missing(OrderLoad.Result run) {
        return run.accepted().keySet().stream().filter(id -> telegram.arrivals(id).isEmpty()).count();
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String javaVersion(String java) {
        try {
            Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out.lines().skip(1).findFirst().orElse(out).trim();
        }
        catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    /** Samples the service's RSS every half second while a phase runs. */
    static final class RssSampler {
        private final Thread thread;
        private volatile double last = Double.NaN;
        private volatile double max = Double.NaN;
        private volatile boolean running = true;

        private RssSampler(ProcessStats stats) {
            thread = new Thread(() -> {
                while (running) {
                    double rss = stats.rssMiB();
                    last = rss;
                    max = Double.isNaN(max) ? rss : Math.max(max, rss);
                    try {
                        Thread.sleep(500);
                    }
                    catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss");
            thread.setDaemon(true);
        }

        static RssSampler start(ProcessStats stats) {
            RssSampler sampler = new RssSampler(stats);
            sampler.thread.start();
            return sampler;
        }

        void stop() {
            running = false;
            thread.interrupt();
        }

        double last() {
            return last;
        }

        double max() {
            return max;
        }
    }
}
