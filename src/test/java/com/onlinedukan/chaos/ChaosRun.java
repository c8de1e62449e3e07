package com.onlinedukan.chaos;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.FreezableProxy;
import com.onlinedukan.support.Runner;
import com.onlinedukan.support.StaffConversation;
import tools.jackson.databind.JsonNode;

/**
 * The chaos run ({@code chaos/run.sh [--short|--long] [--seed=N]}): two instances of the packaged
 * jar as OS processes on the PostgreSQL and Redis that chaos/run.sh started, each behind proxies of
 * its own, a fake Bot API with faults in this JVM, a steady order load with idempotent retries, and a
 * seeded schedule of faults. At the end it counts what was lost, sent twice (and which fault
 * explains each copy), dead, and how late, and writes the report. Non-zero exit when anything was
 * lost, dead, or sent twice without a fault to explain it, or a send came inside a {@code retry_after}.
 */
public final class ChaosRun {

    static final String BOT_TOKEN = "123456:chaos-token";
    static final String CHAT_ID = "-1001234567890";
    static final String ESCALATION_CHAT_ID = "-1009999999999";
    static final String OPS_USER = "chaos";
    /** The service's stream key ({@code dukan.relay.stream}, its default). */
    static final String STREAM_KEY = "dukan:outbox";

    /** A fault as it happened: times from System.nanoTime, {@code instance} -1 when it hit every instance. */
    record Fault(FaultPlan.Kind kind, String target, int instance, long startNanos, long endNanos, Instant wallStart,
            String detail) {
    }

    /**
     * One sample a second: orders accepted and not yet at Telegram, the outbox backlog an instance
     * reported (-1: none answered), how many instances said they held the relay lease, and the relay's
     * state as that instance's pipeline gave it ("?" when none answered).
     */
    record Sample(long atNanos, long accepted, long undelivered, long opsBacklog, int leaders, String relayState) {
    }

    final Map<String, String> args;
    final boolean longRun;
    final long seed;
    final Duration telegramTimeout = Duration.ofSeconds(3);
    final Duration relayLease = Duration.ofSeconds(5);
    final Duration notificationLease = Duration.ofSeconds(10);
    final Duration refusalProbeInterval = Duration.ofSeconds(5);
    /** {@code dukan.notification.acknowledge-within}: short, so reminders and escalations happen within the run. */
    final Duration acknowledgeWithin;
    /** A member of staff presses "Take" on a share of the orders (on by default; {@code --no-staff} turns it off). */
    final boolean staff;
    final List<Fault> faults = new CopyOnWriteArrayList<>();
    final List<Sample> samples = new CopyOnWriteArrayList<>();
    final List<String> notes = new CopyOnWriteArrayList<>();
    final List<Instance> instances = new ArrayList<>();
    final String opsPassword = UUID.randomUUID().toString();
    Servers servers;
    FakeBotApi telegram;
    TelegramFaults telegramFaults;
    HostileEntries hostile;
    OrderDriver driver;
    StaffMember staffMember;
    /** Per new kind of fault, what its injections did, summed (for the report). */
    final Map<String, Long> faultCounters = new java.util.concurrent.ConcurrentSkipListMap<>();
    /** What was left at the end ({@link #settledState()}). */
    final Map<String, Object> settled = new java.util.LinkedHashMap<>();
    long startNanos;
    Instant startWall;
    volatile boolean sampling = true;

    ChaosRun(Map<String, String> args) {
        this.args = args;
        this.longRun = args.containsKey("long");
        this.seed = args.containsKey("seed") ? Long.parseLong(args.get("seed")) : System.currentTimeMillis() % 1_000_000;
        this.acknowledgeWithin = Duration.ofSeconds(number("acknowledge-within-seconds", 10, 30));
        this.staff = !args.containsKey("no-staff");
    }

    public static void main(String[] argv) throws Exception {
        ChaosRun run = new ChaosRun(Runner.arguments(argv));
        Runner.exit(run::run, run::forceStop, run::shutDown);
    }

    String arg(String name, String otherwise) {
        return args.getOrDefault(name, otherwise);
    }

    long number(String name, long shortValue, long longValue) {
        return Long.parseLong(arg(name, Long.toString(longRun ? longValue : shortValue)));
    }

    boolean run() throws Exception {
        String mode = longRun ? "long" : "short";
        System.out.printf("chaos run (%s), seed %d (replay with --%s --seed=%d)%n", mode, seed, mode, seed);
        Path logs = Path.of(arg("log-dir", "target/chaos"));
        Files.createDirectories(logs);
        servers = new Servers(Path.of(arg("pg-ctl", "chaos/pgctl.sh")), Integer.parseInt(arg("pg-port", "5432")),
                args.containsKey("pg-clock") ? Path.of(arg("pg-clock", "")) : null, arg("redis-server", "redis-server"), Path.of(arg("redis-dir", "target/chaos/redis")),
                Integer.parseInt(arg("redis-port", "6379")));
        servers.startRedis();
        telegramFaults = new TelegramFaults(telegramTimeout.toMillis(), CHAT_ID);
        telegram = FakeBotApi.start(2, true);
        telegram.answerPolicy(telegramFaults);
        hostile = new HostileEntries("127.0.0.1", servers.redisPort, STREAM_KEY);
        if (!servers.canMoveDatabaseClock()) {
            notes.add("PostgreSQL does not run under libfaketime (chaos/run.sh needs the Debian package faketime): "
                    + "its clock cannot be moved, so " + FaultPlan.Kind.DB_CLOCK_AHEAD + " cannot happen");
        }
        for (int i = 0; i < 2; i++) {
            FreezableProxy postgres = FreezableProxy.to("127.0.0.1", servers.postgresPort);
            FreezableProxy redis = FreezableProxy.to("127.0.0.1", servers.redisPort);
            int port = freePort();
            instances.add(new Instance(i, port, postgres, redis, command(), environment(i, port, postgres, redis),
                    logs, OPS_USER, opsPassword));
        }
        // Side by side: Flyway's lock serialises the migration, the lease the relay's first start.
        for (Instance instance : instances) {
            instance.start();
        }
        for (Instance instance : instances) {
            if (!instance.awaitReady(Duration.ofSeconds(180))) {
                throw new IllegalStateException(instance + " was not ready in 180 s; see its log in " + logs);
            }
        }

        long loadSeconds = number("load-seconds", 0, 17 * 60);
        double rate = Double.parseDouble(arg("rate", longRun ? "12" : "20"));
        FaultPlan plan = new FaultPlan(seed, longRun ? 50 : 1, relayLease.toMillis(), instances.size());
        driver = new OrderDriver(instances, Duration.ofSeconds(5), Duration.ofSeconds(150));
        startNanos = System.nanoTime();
        startWall = Instant.now();
        Thread sampler = new Thread(this::sample, "backlog-sampler");
        sampler.setDaemon(true);
        sampler.start();
        driver.start(rate);
        if (staff) {
            staffMember = new StaffMember(telegram.staff(), seed, Double.parseDouble(arg("press-share", "0.5")),
                Double.parseDouble(arg("press-twice-share", "0.2")), ESCALATION_CHAT_ID, () -> driver.accepted().keySet());
            staffMember.start();
        }
        System.out.printf("placing %.0f orders/s%n", rate);

        Thread.sleep(number("calm-seconds", 5, 20) * 1000);
        long phaseEnd = loadSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(loadSeconds) : Long.MAX_VALUE;
        ExecutorService lanes = Executors.newFixedThreadPool(2);
        var infrastructure = lanes.submit(() -> lane(plan.infrastructure, phaseEnd));
        var bot = lanes.submit(() -> lane(plan.telegram, phaseEnd));
        infrastructure.get();
        bot.get();
        lanes.shutdown();
        if (loadSeconds > 0) {
            sleepUntil(phaseEnd);
        }
        Thread.sleep(number("tail-seconds", 5, 20) * 1000);
        long loadEnd = System.nanoTime();
        driver.stop();
        System.out.printf("load stopped at %.0f s: %d orders, %d accepted, %d retries, %d abandoned, %d rejected%n",
                seconds(loadEnd), driver.orders(), driver.accepted().size(), driver.retries(), driver.abandoned(),
                driver.rejected());
        awaitAllReady(Duration.ofSeconds(180));

        long drainLimit = number("drain-seconds", 90, 240);
        long drainStart = System.nanoTime();
        long deadline = drainStart + TimeUnit.SECONDS.toNanos(drainLimit);
        while (System.nanoTime() < deadline && undelivered() > 0) {
            Thread.sleep(500);
        }
        long drained = System.nanoTime();
        System.out.printf("drain: %d undelivered after %.0f s; settling %d s for late copies%n", undelivered(),
                (drained - drainStart) / 1e9, number("settle-seconds", 12, 20));
        // Long enough for the last orders' reminders and escalations (two periods) and late copies alike.
        Thread.sleep(Math.max(number("settle-seconds", 12, 20) * 1000,
                staff ? acknowledgeWithin.multipliedBy(2).plusSeconds(8).toMillis() : 0));
        if (staffMember != null) {
            staffMember.stop();
            awaitPressesApplied(Duration.ofSeconds(drainLimit));
        }
        sampling = false;
        long end = System.nanoTime();

        long dead = deadLetters();
        settledState();
        ChaosReport report = new ChaosReport(this, loadEnd, drainStart, drained, end, dead);
        Path out = Path.of(arg("out-dir", "chaos/reports"));
        Files.createDirectories(out);
        boolean passed = report.write(out.resolve(mode + "-latest.json"), out.resolve(mode + "-latest.md"),
                out.resolve(mode + "-latest.svg"));
        System.out.println(passed ? "CHAOS RUN PASSED" : "CHAOS RUN FAILED");
        return passed;
    }

    /**
     * The presses are judged once the service has applied them all, as deliveries are once drained: a
     * press waits in getUpdates until the leader polls, and a leader killed or stopped late in the run
     * leaves a backlog that its successor works through one press at a time. Every update confirmed by a
     * later offset has been applied (the offset commits with the take). How long that took is a note; a
     * press still unconfirmed at the deadline is judged as it stands, and fails the run if it was lost.
     */
    private void awaitPressesApplied(Duration within) throws InterruptedException {
        StaffConversation staff = telegram.staff();
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        while (staff.unconfirmed() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        String took = String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9);
        int left = staff.unconfirmed();
        System.out.printf("presses: %d update(s) unconfirmed %s after the staff member stopped%n", left, took);
        notes.add(left == 0 ? "Every press was applied (its update confirmed by a later offset) " + took
                + " after the staff member stopped pressing"
                : left + " update(s) still unconfirmed " + took + " after the staff member stopped pressing");
    }

    List<String> command() {
        List<String> command = new ArrayList<>(List.of(arg("java", "java")));
        command.addAll(List.of(arg("jvm-args", "-Xmx384m -XX:+ExitOnOutOfMemoryError -XX:TieredStopAtLevel=1").split(" ")));
        command.addAll(List.of("-jar", arg("jar", "target/onlinedukan.jar")));
        return command;
    }

    Map<String, String> environment(int index, int port, FreezableProxy postgres, FreezableProxy redis) {
        Map<String, String> env = new HashMap<>();
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/dukan");
        env.put("SPRING_DATASOURCE_USERNAME", "postgres");
        env.put("SPRING_DATASOURCE_PASSWORD", "chaos");
        env.put("SPRING_DATA_REDIS_HOST", "127.0.0.1");
        env.put("SPRING_DATA_REDIS_PORT", Integer.toString(redis.port()));
        env.put("TELEGRAM_BOT_TOKEN", BOT_TOKEN);
        env.put("TELEGRAM_CHAT_ID", CHAT_ID);
        env.put("TELEGRAM_API_URL", telegram.url(index));
        env.put("DUKAN_EMBEDDED_ENABLED", "false");
        env.put("DUKAN_OPS_USERNAME", OPS_USER);
        env.put("DUKAN_OPS_PASSWORD", opsPassword);
        // Each restart warms up, briefly, while the other instances serve: its rolled-back orders must never show.
        env.put("DUKAN_ORDERS_WARMUP", "2s");
        // Not budget-bound: the run is about faults, not Telegram's rate limits (its 429s still come as faults).
        env.put("DUKAN_TELEGRAM_RATE_GLOBALPERSECOND", "1000");
        env.put("DUKAN_TELEGRAM_RATE_PERCHATPERMINUTE", "1000000");
        env.put("DUKAN_TELEGRAM_RATE_PERCHATPERSECOND", "1000");
        env.put("DUKAN_TELEGRAM_TIMEOUT", telegramTimeout.toMillis() + "ms");
        env.put("DUKAN_NOTIFICATION_STOPGRACE", "5s");
        env.put("DUKAN_NOTIFICATION_LEASE", notificationLease.toMillis() + "ms");
        env.put("DUKAN_NOTIFICATION_CLAIMIDLE", "10s");
        env.put("DUKAN_NOTIFICATION_RETRY_INITIALBACKOFF", "500ms");
        env.put("DUKAN_NOTIFICATION_RETRY_MAXBACKOFF", "5s");
        env.put("DUKAN_RELAY_LEADERLEASE", relayLease.toMillis() + "ms");
        env.put("DUKAN_RELAY_LEADERSHIPCHECKINTERVAL", "1s");
        env.put("DUKAN_RECONCILER_GRACE", "15s");
        env.put("DUKAN_RECONCILER_INTERVAL", "5s");
        env.put("DUKAN_NOTIFICATION_REFUSALPROBEINTERVAL", refusalProbeInterval.toMillis() + "ms");
        if (staff) {
            env.put("DUKAN_NOTIFICATION_ACKNOWLEDGEWITHIN", acknowledgeWithin.toMillis() + "ms");
            env.put("DUKAN_NOTIFICATION_ESCALATIONCHATID", ESCALATION_CHAT_ID);
            env.put("DUKAN_NOTIFICATION_UPDATESPOLLWAIT", "5s");
        }
        env.put("LOGGING_LEVEL_COM_ONLINEDUKAN", arg("service-log-level", "INFO"));
        args.forEach((key, value) -> {
            if (key.startsWith("env.")) {
                env.put(key.substring(4), value);
            }
        });
        return env;
    }

    private Void lane(List<FaultPlan.Planned> plan, long phaseEnd) throws Exception {
        for (FaultPlan.Planned fault : plan) {
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(fault.pauseBeforeMillis() + fault.durationMillis()) > phaseEnd) {
                break;
            }
            Thread.sleep(fault.pauseBeforeMillis());
            try {
                inject(fault);
            }
            catch (Exception e) {
                notes.add("The fault " + fault.kind() + " could not be injected as planned: " + e);
                e.printStackTrace();
            }
        }
        return null;
    }

    private void inject(FaultPlan.Planned planned) throws Exception {
        FaultPlan.Kind kind = planned.kind();
        long duration = planned.durationMillis();
        Instance target = instances.get(planned.instance());
        if (kind == FaultPlan.Kind.KILL_LEADER || kind == FaultPlan.Kind.KILL_STANDBY) {
            // Never both down: a kill waits until the other instance is back.
            awaitAllReady(Duration.ofSeconds(180));
        }
        else if (kind == FaultPlan.Kind.STOP_INSTANCE || kind.name().contains("_CUT_") || kind == FaultPlan.Kind.SLOW_CLIENTS) {
            target = readyInstance(target, Duration.ofSeconds(180));
        }
        long start = System.nanoTime();
        Instant wall = Instant.now();
        String detail = "";
        // When the fault itself ended, for a kind whose injection goes on after it (a refusal's recovery).
        long ended = 0;
        switch (kind) {
            case KILL_LEADER, KILL_STANDBY -> {
                Instance leader = leader(Duration.ofSeconds(20)).orElse(null);
                if (leader == null) {
                    detail = "no instance said it led; killed " + target.name;
                }
                else {
                    target = kind == FaultPlan.Kind.KILL_LEADER ? leader : instances.get(1 - leader.index);
                }
                start = System.nanoTime();
                wall = Instant.now();
                target.kill();
                Thread.sleep(duration);
                target.start();
                Instance restarted = target;
                long killed = start;
                // The fault ends when the process is started again; its readiness is awaited aside.
                Thread watcher = new Thread(() -> superviseRestart(restarted, kind, killed), "restart-watch");
                watcher.setDaemon(true);
                watcher.start();
                detail = (detail.isEmpty() ? "" : detail + "; ") + String.format(Locale.ROOT, "down %.1f s, then started again",
                        duration / 1000.0);
            }
            case STOP_INSTANCE -> {
                boolean led = target.leads();
                start = System.nanoTime();
                wall = Instant.now();
                target.pause();
                Thread.sleep(duration);
                target.resume();
                detail = String.format("%s for %.1f s", led ? "the leader" : "the standby", duration / 1000.0);
            }
            case POSTGRES_RESTART_FAST, POSTGRES_RESTART_IMMEDIATE -> {
                target = null;
                servers.stopPostgres(kind == FaultPlan.Kind.POSTGRES_RESTART_FAST ? "fast" : "immediate");
                long stopped = System.nanoTime();
                Thread.sleep(duration);
                servers.startPostgres();
                detail = String.format(Locale.ROOT, "stop took %.1f s, down %.1f s, start took %.1f s", (stopped - start) / 1e9,
                        duration / 1000.0, (System.nanoTime() - stopped) / 1e9 - duration / 1000.0);
            }
            case REDIS_RESTART_EMPTY -> {
                target = null;
                servers.stopRedisAndForgetEverything();
                Thread.sleep(duration);
                servers.startRedis();
                detail = String.format("down %.1f s", (System.nanoTime() - start) / 1e9);
            }
            case POSTGRES_CUT_FROZEN, REDIS_CUT_FROZEN -> {
                FreezableProxy proxy = kind == FaultPlan.Kind.POSTGRES_CUT_FROZEN ? target.postgres : target.redis;
                boolean led = target.leads();
                start = System.nanoTime();
                wall = Instant.now();
                proxy.freeze();
                Thread.sleep(duration);
                proxy.thaw();
                detail = String.format("%s for %.1f s", led ? "the leader" : "the standby", duration / 1000.0);
            }
            case POSTGRES_CUT_RESET, REDIS_CUT_RESET -> {
                FreezableProxy proxy = kind == FaultPlan.Kind.POSTGRES_CUT_RESET ? target.postgres : target.redis;
                boolean led = target.leads();
                start = System.nanoTime();
                wall = Instant.now();
                proxy.refuse(true);
                proxy.reset();
                Thread.sleep(duration);
                proxy.refuse(false);
                detail = String.format("%s, refused for %.1f s", led ? "the leader" : "the standby", duration / 1000.0);
            }
            case TELEGRAM_5XX, TELEGRAM_HANG, TELEGRAM_SLOW -> {
                target = null;
                telegramFaults.mode(kind == FaultPlan.Kind.TELEGRAM_5XX ? TelegramFaults.Mode.FAIL_5XX
                        : kind == FaultPlan.Kind.TELEGRAM_HANG ? TelegramFaults.Mode.HANG : TelegramFaults.Mode.SLOW);
                Thread.sleep(duration);
                telegramFaults.mode(TelegramFaults.Mode.NORMAL);
                detail = String.format("%.1f s", duration / 1000.0);
            }
            case TELEGRAM_429 -> {
                target = null;
                telegramFaults.rateLimit(planned.parameter());
                Thread.sleep(planned.parameter() * 1000L);
                detail = "retry_after " + planned.parameter() + " s";
            }
            case TELEGRAM_MIGRATION -> {
                target = null;
                detail = "to chat " + telegramFaults.migrate();
            }
            case SLOT_DROPPED -> {
                Instance leader = leader(Duration.ofSeconds(20)).orElse(null);
                target = leader;
                start = System.nanoTime();
                wall = Instant.now();
                Servers.DroppedSlot dropped = servers.dropReplicationSlot(Duration.ofSeconds(30));
                count("slotDrops", 1);
                count("walsendersTerminated", dropped.walsendersTerminated().size());
                detail = String.format(Locale.ROOT, "slot %s dropped at WAL %s after %d attempt(s), %s; the leader was %s",
                        dropped.slot(), dropped.walAtDrop(), dropped.attempts(), dropped.wasStreaming()
                                ? "walsender(s) " + dropped.walsendersTerminated() + " terminated"
                                : "no walsender streamed from it in 15 s (dropped idle)",
                        leader == null ? "unknown (none said it led)" : leader.name);
            }
            case STREAM_HOSTILE -> {
                target = null;
                List<java.util.UUID> real = servers.recentEventIds(50);
                start = System.nanoTime();
                wall = Instant.now();
                List<HostileEntries.Written> written = hostile.burst(planned.variant(), duration, real);
                long refused = written.stream().filter(HostileEntries.Written::refused).count();
                count("hostileEntriesWritten", written.size() - refused);
                count("hostileEntriesRefusedByRedis", refused);
                StringBuilder shapes = new StringBuilder();
                for (HostileEntries.Written w : written) {
                    shapes.append(shapes.length() == 0 ? "" : ", ").append(w.shape()).append(' ').append(w.bytes()).append(" B")
                            .append(w.refused() ? " (Redis: " + w.reply() + ")" : "");
                }
                detail = String.format(Locale.ROOT, "%d entries on %s (%d refused by Redis), forged with %d real event ids "
                        + "to hand: %s", written.size() - refused, STREAM_KEY, refused, real.size(), shapes);
            }
            case TELEGRAM_REFUSAL -> {
                target = null;
                FaultPlan.Refusal refusal = FaultPlan.REFUSALS.get(planned.parameter());
                long refusedBefore = telegramFaults.refused();
                long deadBefore = deadLettersNow();
                telegramFaults.refuse(refusal);
                boolean paused = false;
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(duration);
                while (System.nanoTime() < until) {
                    paused |= deliveryPaused().orElse(false);
                    Thread.sleep(Math.min(500, Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()))));
                }
                telegramFaults.mode(TelegramFaults.Mode.NORMAL);
                ended = System.nanoTime();
                long refused = telegramFaults.refused() - refusedBefore;
                count("telegramCallsRefused", refused);
                String recovery = recoverDelivery(paused);
                long deadAfter = deadLettersNow();
                detail = String.format(Locale.ROOT, "%d '%s' to %d calls for %.1f s; delivery paused meanwhile: %s; %s; "
                        + "DEAD meanwhile: %s", refusal.code(), refusal.description(), refused, duration / 1000.0,
                        paused ? "yes" : "no", recovery, deadBefore < 0 || deadAfter < 0 ? "unknown" : "+" + (deadAfter - deadBefore));
            }
            case SLOW_CLIENTS -> {
                long retriesBefore = driver.retries();
                long acceptedBefore = driver.accepted().size();
                start = System.nanoTime();
                wall = Instant.now();
                SlowClients.Outcome outcome = SlowClients.trickle(target.port, planned.parameter(), duration);
                count("slowClientSockets", outcome.opened() + outcome.refused());
                count("slowClientBytesTrickled", outcome.bytesTrickled());
                detail = String.format(Locale.ROOT, "%s; the order load meanwhile: %d accepted, %d client retries", outcome.summary(),
                        driver.accepted().size() - acceptedBefore, driver.retries() - retriesBefore);
            }
            case DB_CLOCK_AHEAD -> {
                target = null;
                int ahead = planned.parameter();
                servers.databaseClockAhead(ahead);
                Thread.sleep(1500);
                String measured = servers.databaseClockAheadSeconds().map(x -> String.format(Locale.ROOT, "%+.1f s", x))
                        .orElse("unmeasured (PostgreSQL did not answer)");
                Thread.sleep(Math.max(0, duration - 1500));
                servers.databaseClockAhead(0);
                count("databaseClockSecondsAhead", ahead);
                detail = String.format(Locale.ROOT, "PostgreSQL's clock +%d s (measured %s) for %.1f s, then back", ahead,
                        measured, duration / 1000.0);
            }
        }
        long end = ended != 0 ? ended : System.nanoTime();
        Fault fault = new Fault(kind, target == null ? "all" : target.name, target == null ? -1 : target.index, start, end,
                wall, detail);
        faults.add(fault);
        System.out.printf("[%6.1f s] %-26s %-11s %s%n", seconds(start), kind, fault.target(), detail);
    }

    /**
     * What was left once everything healed: stream entries still pending in the consumer group (a
     * hostile entry nobody could acknowledge stays there), entries the service kept as poison, and
     * the relay's state and slot.
     */
    private void settledState() {
        for (Instance instance : instances) {
            Optional<JsonNode> pipeline = instance.ops("/api/ops/pipeline", Duration.ofSeconds(5));
            if (pipeline.isPresent()) {
                settled.put("streamPendingAtEnd", pipeline.get().path("stream").path("pending").asLong(-1));
                settled.put("relayStateAtEnd", pipeline.get().path("relay").path("state").asString("?"));
                break;
            }
        }
        try (java.sql.Connection sql = servers.sql(); java.sql.Statement statement = sql.createStatement()) {
            try (java.sql.ResultSet rows = statement.executeQuery("SELECT count(*) FROM stream_poison")) {
                rows.next();
                settled.put("streamEntriesKeptAsPoison", rows.getLong(1));
            }
            try (java.sql.ResultSet rows = statement.executeQuery("SELECT string_agg(slot_name || CASE WHEN active THEN "
                    + "' (streaming)' ELSE ' (idle)' END, ', ') FROM pg_replication_slots WHERE database = 'dukan'")) {
                rows.next();
                settled.put("replicationSlotsAtEnd", rows.getString(1) == null ? "none" : rows.getString(1));
            }
        }
        catch (java.sql.SQLException e) {
            notes.add("PostgreSQL could not be asked what was left at the end: " + e.getMessage());
        }
    }

    private void count(String counter, long by) {
        faultCounters.merge(counter, by, Long::sum);
    }

    /** Whether delivery is paused, as a live instance's pipeline says ({@code delivery.paused}). */
    Optional<Boolean> deliveryPaused() {
        for (Instance instance : instances) {
            Optional<JsonNode> pipeline = instance.ops("/api/ops/pipeline", Duration.ofMillis(800));
            if (pipeline.isPresent() && pipeline.get().path("delivery").has("paused")) {
                return Optional.of(pipeline.get().path("delivery").path("paused").asBoolean());
            }
        }
        return Optional.empty();
    }

    /** DEAD notifications now, as a live instance's pipeline counts them (-1: none answered). */
    long deadLettersNow() {
        for (Instance instance : instances) {
            Optional<JsonNode> pipeline = instance.ops("/api/ops/pipeline", Duration.ofMillis(800));
            if (pipeline.isPresent()) {
                return pipeline.get().path("notifications").path("dead").asLong(-1);
            }
        }
        return -1;
    }

    /**
     * After a refusal: the contract says a successful probe or {@code POST /api/ops/delivery/resume}
     * drains what waited. Waits two probe intervals for a probe to resume; if delivery is still
     * paused, resumes it as an SRE would, and says which it was.
     */
    private String recoverDelivery(boolean pausedDuring) throws InterruptedException {
        long limit = System.nanoTime() + refusalProbeInterval.toNanos() * 2 + TimeUnit.SECONDS.toNanos(3);
        long healed = System.nanoTime();
        Optional<Boolean> paused = deliveryPaused();
        while (System.nanoTime() < limit && paused.orElse(true)) {
            Thread.sleep(250);
            paused = deliveryPaused();
        }
        if (paused.isPresent() && !paused.get()) {
            count(pausedDuring ? "refusalsResumedByProbe" : "refusalsNeverPaused", 1);
            return pausedDuring ? String.format(Locale.ROOT, "resumed by the service %.1f s after Telegram recovered",
                    (System.nanoTime() - healed) / 1e9) : "no pause to resume";
        }
        for (Instance instance : instances) {
            Optional<Integer> status = instance.opsPost("/api/ops/delivery/resume", Duration.ofSeconds(5));
            if (status.isPresent()) {
                count(status.get() / 100 == 2 ? "refusalsResumedByTheRunner" : "refusalsResumeRefused", 1);
                notes.add(String.format(Locale.ROOT, "Delivery was still paused %.1f s after Telegram recovered from a "
                        + "refusal: the runner POSTed /api/ops/delivery/resume to %s (%d)", (System.nanoTime() - healed) / 1e9,
                        instance, status.get()));
                return "still paused after " + refusalProbeInterval.multipliedBy(2).toSeconds() + " s: the runner POSTed "
                        + "/api/ops/delivery/resume (" + status.get() + ")";
            }
        }
        return "still paused, and no instance took POST /api/ops/delivery/resume";
    }

    /**
     * Waits for a restarted instance to be ready; one that exits while starting (Spring Boot stops when
     * PostgreSQL is unreachable at start, as during a PostgreSQL fault) is started again, as a
     * supervisor (systemd, Kubernetes) would.
     */
    private void superviseRestart(Instance instance, FaultPlan.Kind kind, long killed) {
        try {
            for (int attempt = 1; attempt <= 5; attempt++) {
                if (instance.awaitReady(Duration.ofSeconds(180))) {
                    notes.add(String.format(Locale.ROOT, "%s was ready again %.1f s after %s at %.1f s%s", instance,
                            (System.nanoTime() - killed) / 1e9, kind, seconds(killed),
                            attempt == 1 ? "" : " (started " + attempt + " times: it exited while starting, see its logs)"));
                    return;
                }
                if (instance.alive()) {
                    break;
                }
                instance.startIfExited();
            }
            notes.add(String.format(Locale.ROOT, "%s was NOT ready again after %s at %.1f s", instance, kind, seconds(killed)));
        }
        catch (IOException e) {
            notes.add(instance + " could not be started again: " + e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The instance that says it holds the relay lease, asked until one does or the limit passes. */
    Optional<Instance> leader(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            for (Instance instance : instances) {
                if (instance.leads()) {
                    return Optional.of(instance);
                }
            }
            Thread.sleep(250);
        }
        return Optional.empty();
    }

    /** The planned instance if it is ready, else the other one once it is (a stop or cut needs a running instance). */
    Instance readyInstance(Instance planned, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (planned.ready()) {
                return planned;
            }
            for (Instance other : instances) {
                if (other.ready()) {
                    return other;
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("no instance was ready in " + limit);
    }

    void awaitAllReady(Duration limit) throws Exception {
        for (Instance instance : instances) {
            if (instance.startIfExited()) {
                notes.add(instance + " had exited (see its log); started again");
            }
            if (!instance.awaitReady(limit)) {
                throw new IllegalStateException(instance + " was not ready in " + limit);
            }
        }
    }

    private void sample() {
        while (sampling) {
            long at = System.nanoTime();
            long backlog = -1;
            int leaders = 0;
            String relayState = "?";
            for (Instance instance : instances) {
                Optional<JsonNode> pipeline = instance.ops("/api/ops/pipeline", Duration.ofMillis(800));
                if (pipeline.isPresent()) {
                    long undelivered = pipeline.get().path("outbox").path("undelivered").asLong(-1);
                    if (backlog < 0) {
                        relayState = pipeline.get().path("relay").path("state").asString("?");
                    }
                    backlog = backlog < 0 ? undelivered : backlog;
                    leaders += instance.leads(Duration.ofMillis(800)) ? 1 : 0;
                }
            }
            samples.add(new Sample(at, driver.accepted().size(), undelivered(), backlog, leaders, relayState));
            long wait = TimeUnit.SECONDS.toNanos(1) - (System.nanoTime() - at);
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000);
                }
                catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    long undelivered() {
        Map<String, List<FakeBotApi.Copy>> copies = telegram.copies();
        return driver.accepted().keySet().stream().filter(id -> !copies.containsKey(id)).count();
    }

    /** DEAD notifications, asked of a live instance through the ops API (-1 when none answered). */
    long deadLetters() throws InterruptedException {
        for (int attempt = 0; attempt < 20; attempt++) {
            for (Instance instance : instances) {
                Optional<JsonNode> dead = instance.ops("/api/ops/notifications?status=DEAD&limit=1000", Duration.ofSeconds(5));
                Optional<JsonNode> pipeline = instance.ops("/api/ops/pipeline", Duration.ofSeconds(5));
                if (dead.isPresent() && pipeline.isPresent()) {
                    long listed = dead.get().size();
                    long counted = pipeline.get().path("notifications").path("dead").asLong(-1);
                    return Math.max(listed, counted);
                }
            }
            Thread.sleep(1000);
        }
        notes.add("No instance answered the ops API at the end: DEAD could not be read");
        return -1;
    }

    double seconds(long nanos) {
        return (nanos - startNanos) / 1e9;
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void shutDown() {
        sampling = false;
        for (Instance instance : instances) {
            try {
                instance.stop();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            instance.postgres.close();
            instance.redis.close();
        }
        if (telegram != null) {
            telegram.close();
        }
        if (servers != null) {
            try {
                servers.close();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** On Ctrl-C: no instance is left running (or stopped) behind the run. */
    private void forceStop() {
        for (Instance instance : instances) {
            try {
                instance.resume();
            }
            catch (Exception e) {
                // gone
            }
            try {
                instance.kill();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (servers != null) {
                servers.close();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
