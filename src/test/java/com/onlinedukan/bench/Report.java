package com.onlinedukan.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

import org.HdrHistogram.Histogram;

/** The figures of one run, each with its target: printed, and written as BENCHMARKS.md with an SVG chart. */
final class Report {

    /** What reached the fake Telegram of one phase's accepted orders; latencies from the 201 to the first copy. */
    record Delivery(long accepted, long missing, long duplicates, Histogram toTelegramMicros, long lastArrivalNanos) {

        double millis(double percentile) {
            return toTelegramMicros.getTotalCount() == 0 ? Double.NaN
                    : toTelegramMicros.getValueAtPercentile(percentile) / 1000.0;
        }

        boolean exactlyOnce() {
            return missing == 0 && duplicates == 0;
        }
    }

    private record Closed(int clients, OrderLoad.Result run, double floorTps, Delivery delivery) {
    }

    private record Open(double rate, OrderLoad.Result run, Delivery delivery, Histogram floor, double rss,
            double rssMax) {
    }

    private record Slow(int delayMillis, OrderLoad.Result run, Delivery delivery) {
    }

    private final boolean quick;
    /** The flags the service's JVM runs with, as the header names them. */
    private final String serviceJvmArgs;
    private final List<Closed> closed = new ArrayList<>();
    /** POST orders/s and pgbench tps of each 8-client pair, in the order they ran. */
    private final List<double[]> ratioPairs = new ArrayList<>();
    /** The same, for the bursts with delivery paused (not part of the goal). */
    private final List<double[]> pausedPairs = new ArrayList<>();
    private String pausedCpu = "";
    private final List<Open> open = new ArrayList<>();
    private final List<Slow> slow = new ArrayList<>();
    private final Map<String, Double> cpu = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> phases = new ArrayList<>();
    private final List<String> outage = new ArrayList<>();
    private final List<String> warmUp = new ArrayList<>();
    private final List<String> cold = new ArrayList<>();
    private double coldWarmed;
    /** The best share of the warmed rate in the first 20 s, by launch. */
    private final Map<String, List<Double>> coldShares = new LinkedHashMap<>();
    private String machine = "";
    private String machineCpu = "";
    private double rssIdle = Double.NaN;
    private String jfr = "";
    private String statements = "";

    Report(boolean quick, String serviceJvmArgs) {
        this.quick = quick;
        this.serviceJvmArgs = serviceJvmArgs;
    }

    void machine(int cores, String java, String version) {
        String load = loadAverage();
        if (machine.isEmpty()) {
            machine = String.format(Locale.ROOT, "%d cores, %s (%s), runner on %s; load average (1/5/15 min) at the "
                    + "start %s", cores, version, java, System.getProperty("java.version"), load);
        }
        else {
            machine += ", at the end " + load;
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " / " + f[1] + " / " + f[2];
        }
        catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    void jfr(int samples, Map<String, Integer> threads, Map<String, Integer> top, Map<String, Integer> ours) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "%n## Where the time goes (JFR, 8-client burst, %d execution samples)%n%nRecorded with `--jfr` (`settings=profile`) during a second 8-client burst after the measured one, so JFR's overhead is in no figure above. `tomcat-handler-N` are the request threads (virtual); the relay is the Debezium coordinator thread, the notifier `stream-dukan-notifier`, `notification-dispatcher-N` (the senders) and `OkHttp Dispatcher`.%n%n", samples));
        s.append("| thread (digits as N) | samples | share |\n|---|---|---|\n");
        threads.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(10)
                .forEach(e -> s.append(String.format(Locale.ROOT, "| `%s` | %d | %.0f %% |%n", e.getKey(), e.getValue(),
                        100.0 * e.getValue() / Math.max(1, samples))));
        s.append('\n');
        s.append("| top frame | samples |\n|---|---|\n");
        top.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(15)
                .forEach(e -> s.append("| `").append(e.getKey()).append("` | ").append(e.getValue()).append(" |\n"));
        s.append("\n| project frame in the top 5 frames (jfr print depth) | samples |\n|---|---|\n");
        ours.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(15)
                .forEach(e -> s.append("| `").append(e.getKey()).append("` | ").append(e.getValue()).append(" |\n"));
        jfr = s.toString();
        System.out.println(jfr);
    }

    /**
     * With --jfr: PostgreSQL's side of the same burst, from pg_stat_statements (the service's database;
     * the burst, the drain to Telegram and what ran meanwhile). Each row: statement, calls, rows, ms per
     * call, ms per order and share of the database's time.
     */
    void statements(long accepted, double totalMillis, List<String[]> rows) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "%n## Where PostgreSQL's time goes (pg_stat_statements, the same burst)%n%nThe service's database from the "
                        + "profiled burst's start until its last order was at Telegram: %d orders, %.0f ms of statement "
                        + "time in all, %.3f ms per order. The order's own INSERTs are the front door; the rest is the "
                        + "pipeline (ledger, claims, acknowledgements, reconciler, gauges).%n%n", accepted, totalMillis,
                totalMillis / Math.max(1, accepted)));
        s.append("| statement | calls | rows | ms per call | ms per order | share |\n|---|---|---|---|---|---|\n");
        for (String[] row : rows) {
            s.append("| `").append(row[0]).append("` | ").append(String.join(" | ", java.util.Arrays.copyOfRange(row, 1, row.length)))
                    .append(" |\n");
        }
        statements = s.toString();
        System.out.println(statements);
    }

    void warmUp(int round, double underLoadSeconds, OrderLoad.Result run, double jitShare, double cpuMillis) {
        warmUp.add(String.format(Locale.ROOT, "| %d | %.0f s | %.0f | %.1f / %.1f ms | %.0f %% | %.2f |", round,
                underLoadSeconds, run.perSecond(), run.millis(50), run.millis(99), jitShare * 100, cpuMillis));
    }

    void rssIdle(double mib) {
        rssIdle = mib;
    }

    /**
     * Where the machine's CPU went in the further 8-client pairs: per order of the bursts (until their
     * last order was at Telegram) and per transaction of pgbench, by process group ({@link MachineCpu}).
     */
    String machineCpu(Map<String, Double> post, long orders, Map<String, Double> floor, long transactions) {
        if (orders == 0 || transactions == 0) {
            return "";
        }
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%nWhere the machine's CPU went in the further pairs "
                + "(%d orders, %d pgbench transactions), in ms of CPU per order and per transaction, by process "
                + "(/proc; the machine's row is its busy time, so the rows sum to it):%n%n"
                + "| process | POST, per order | pgbench, per transaction |%n|---|---|---|%n", orders, transactions));
        for (String group : MachineCpu.GROUPS) {
            md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f |%n", group, post.get(group) / orders,
                    floor.get(group) / transactions));
        }
        double postMachine = post.get("machine") / orders;
        double floorMachine = floor.get("machine") / transactions;
        md.append(String.format(Locale.ROOT, "| **the machine** | **%.3f** | **%.3f** |%n%nAn order took %.2f times the "
                + "machine's CPU of pgbench's transaction (%.2f as a ratio, beside the median ratio of rates above).%n",
                postMachine, floorMachine, postMachine / floorMachine, floorMachine / postMachine));
        machineCpu = md.toString();
        return machineCpu;
    }

    void cpu(String phase, double millisPerOrder) {
        cpu.put(phase, millisPerOrder);
    }

    void note(String note) {
        notes.add(note);
    }

    java.util.OptionalDouble closedRate(int clients) {
        return closed.stream().filter(c -> c.clients() == clients).mapToDouble(c -> c.run().perSecond()).findFirst();
    }

    void coldStart(String launch, int round, double readySeconds, double firstRate, double minuteRate, double warmedRate) {
        double share = firstRate / warmedRate;
        cold.add(String.format(Locale.ROOT, "| %s | %d | %.1f s | %.0f (%s) | %.0f (%s) | ≥ 0.70 in the first 20 s | %s |",
                launch, round, readySeconds, firstRate, cut(share), minuteRate, cut(minuteRate / warmedRate),
                share >= 0.70 ? "PASS" : "MISS"));
        coldWarmed = warmedRate;
        coldShares.computeIfAbsent(launch, l -> new ArrayList<>()).add(share);
    }

    void closedLoop(int clients, OrderLoad.Result run, double floorTps, Delivery delivery) {
        closed.add(new Closed(clients, run, floorTps, delivery));
        phase(run, delivery);
    }

    /** One 8-client pair for the goal's median: the section-1 burst and its floor. */
    void ratioPair(double postPerSecond, double floorTps) {
        ratioPairs.add(new double[] {postPerSecond, floorTps});
    }

    /** A further 8-client pair: a burst of its own (checked exactly once), then pgbench. */
    void ratioPair(OrderLoad.Result run, Delivery delivery, double floorTps) {
        phase(run, delivery);
        ratioPair(run.perSecond(), floorTps);
    }

    /** A burst with delivery paused (its sends after it, checked once), then pgbench: beside the goal's pairs. */
    void pausedPair(OrderLoad.Result run, Delivery delivery, double floorTps) {
        phase(run, delivery);
        pausedPairs.add(new double[] {run.perSecond(), floorTps});
    }

    /**
     * Where the machine's CPU went in the bursts with delivery paused and in their sends after them, per
     * order, by process group ({@link MachineCpu}).
     */
    String pausedCpu(Map<String, Double> burst, Map<String, Double> sends, long orders) {
        if (orders == 0 || pausedPairs.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%nHow the gap splits (not part of the goal): "
                + "%d more 8-client bursts with delivery paused, so the relay and the inbox run and register each order "
                + "but nothing is sent until delivery resumes after the burst; then pgbench. POST orders/s against "
                + "pgbench tps: %s; median ratio %s. The machine's CPU per order (%d orders), during the burst and for "
                + "the sends after it (as full digests, so below what the same sends cost during a burst):%n%n"
                + "| process | burst, delivery paused | the sends after it | both |%n|---|---|---|---|%n",
                pausedPairs.size(), pairsText(pausedPairs), cut(medianOfPairs(pausedPairs)), orders));
        for (String group : MachineCpu.GROUPS) {
            double during = burst.get(group) / orders;
            double after = sends.get(group) / orders;
            md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f |%n", group, during, after, during + after));
        }
        double during = burst.get("machine") / orders;
        double after = sends.get("machine") / orders;
        md.append(String.format(Locale.ROOT, "| **the machine** | **%.3f** | **%.3f** | **%.3f** |%n", during, after,
                during + after));
        pausedCpu = md.toString();
        return pausedCpu;
    }

    /** The median of the pairs' ratios (of the middle two for an even count). */
    private double medianRatio() {
        return medianOfPairs(ratioPairs);
    }

    private static double medianOfPairs(List<double[]> pairs) {
        double[] ratios = pairs.stream().mapToDouble(p -> p[0] / p[1]).sorted().toArray();
        int n = ratios.length;
        return n % 2 == 1 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
    }

    /**
     * A ratio held against a "≥" target, cut (not rounded) to two places, so a figure shown at its
     * target meets it: rounded, a first-20-s share of 0.6995 read "0.70" beside "≥ 0.70 … FAIL".
     */
    static String cut(double ratio) {
        return String.format(Locale.ROOT, "%.2f", Math.floor(ratio * 100) / 100);
    }

    private String pairsText() {
        return pairsText(ratioPairs);
    }

    private static String pairsText(List<double[]> pairs) {
        StringJoiner text = new StringJoiner(", ");
        for (double[] p : pairs) {
            text.add(String.format(Locale.ROOT, "%.0f/%.0f = %s", p[0], p[1], cut(p[0] / p[1])));
        }
        return text.toString();
    }

    void openLoop(double rate, OrderLoad.Result run, Delivery delivery, Histogram floor, double rss, double rssMax) {
        open.add(new Open(rate, run, delivery, floor, rss, rssMax));
        phase(run, delivery);
    }

    void slowTelegram(int delayMillis, OrderLoad.Result run, Delivery delivery) {
        slow.add(new Slow(delayMillis, run, delivery));
        phase(run, delivery);
    }

    void outage(int seconds, int rate, OrderLoad.Result run, Delivery delivery, long recoveredNanos, long messages,
            long tooMany, int botPerSecond, int chatPerMinute, int chatPerSecond, int perMessage) {
        phase(run, delivery);
        double drainSeconds = (delivery.lastArrivalNanos() - recoveredNanos) / 1e9;
        double ordersPerSecond = (delivery.accepted() - delivery.missing()) / drainSeconds;
        double messagesPerMinute = messages / drainSeconds * 60;
        double budgetMessagesPerMinute = Math.min(botPerSecond * 60.0, Math.min(chatPerSecond * 60.0, chatPerMinute));
        outage.add(row("Orders accepted during the outage (POST p99)",
                String.format(Locale.ROOT, "%d at %d/s for %d s (p99 %.1f ms)", run.accepted().size(), rate, seconds,
                        run.millis(99)), "—", ""));
        outage.add(row("Time to drain after recovery", fmt("%.1f s", drainSeconds), "—", ""));
        outage.add(row("Drain rate", String.format(Locale.ROOT, "%.1f orders/s in %d messages = %.1f messages/min",
                ordersPerSecond, messages, messagesPerMinute),
                String.format(Locale.ROOT, "budget %d/s bot, %d/min and %d/s chat = %.0f messages/min × %d per digest",
                        botPerSecond, chatPerMinute, chatPerSecond, budgetMessagesPerMinute, perMessage),
                String.format(Locale.ROOT, "%.2f of the chat budget (target ≥ 0.95): %s",
                        messagesPerMinute / budgetMessagesPerMinute,
                        messagesPerMinute / budgetMessagesPerMinute >= 0.95 ? "PASS" : "FAIL")));
        outage.add(row("429s answered by the fake (it enforces the budget)", Long.toString(tooMany), "0",
                tooMany == 0 ? "PASS" : "FAIL"));
        outage.add(row("Every order delivered exactly once", onceText(delivery), "0 missing, 0 duplicates",
                delivery.exactlyOnce() ? "PASS" : "FAIL"));
    }

    private void phase(OrderLoad.Result run, Delivery delivery) {
        phases.add(row(run.name(), Long.toString(delivery.accepted()), Long.toString(run.errors()),
                Long.toString(delivery.missing()), Long.toString(delivery.duplicates()),
                delivery.exactlyOnce() ? "PASS" : "FAIL"));
    }

    void write(Path markdown, Path svg) throws IOException {
        String text = markdown(markdown.getParent() == null ? svg : markdown.getParent().relativize(svg));
        System.out.println();
        System.out.println(text);
        Files.writeString(markdown, text + history(markdown));
        Files.createDirectories(svg.toAbsolutePath().getParent());
        Files.writeString(svg, svg());
    }

    /** The file's hand-written "## History" section, kept across runs. */
    private static String history(Path markdown) throws IOException {
        if (!Files.isRegularFile(markdown)) {
            return "";
        }
        String old = Files.readString(markdown);
        int at = old.indexOf("\n## History\n");
        return at < 0 ? "" : old.substring(at);
    }

    private String markdown(Path chart) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append(quick ? "**Quick run** (`bench/run.sh --quick`: short phases and a 15 s outage; about 10 minutes: two or three of them the warm-up, and most of the rest the outage drain at Telegram's real budget). " : "Full run (`bench/run.sh`). ");
        md.append("Every figure below is from **one run** on a shared, noisy machine: compare ratios within the run, "
                + "not absolute numbers across runs.\n\n");
        md.append("- Machine: ").append(machine).append("; ").append(LocalDate.now()).append('\n');
        md.append("- The service: `target/onlinedukan.jar` as its own process (`" + serviceJvmArgs + "`, virtual threads on), "
                + "against PostgreSQL 15 (`wal_level=logical`, fsync on) and Redis (AOF everysec) started by the runner "
                + "in a temp dir; a fake Bot API in the runner. Telegram's limits are lifted (large "
                + "`DUKAN_TELEGRAM_RATE_*`) except in the outage phase. The load generator, the fake, PostgreSQL and Redis "
                + "share the machine's cores with the service.\n");
        md.append("- Latency of `POST /api/orders` is open-loop where a rate is given: each request is timed from its "
                + "intended start (coordinated omission corrected), in HdrHistogram. Commit → Telegram is from the `201` "
                + "to the fake Telegram's receipt of the message holding the order id (same clock).\n");
        md.append("- The floor is pgbench running the same transaction (BEGIN; INSERT orders; INSERT order_item; INSERT "
                + "outbox; COMMIT, `-M prepared`) on a copy of the schema in a database no relay reads, on the same server, "
                + "in the same run.\n\n");

        md.append(goals());
        md.append("## 0. Warm-up: a fresh JVM, until its JIT settles\n\n");
        md.append("Every figure after this table is from the warmed service. A fresh process of this service spends most "
                + "of its CPU compiling (C1, then C2) for its first one to two minutes under load, so the warm-up runs "
                + "8 clients in rounds until a round's JIT time is under 5 % of one core; the first rows are what the "
                + "first minutes after a deploy look like.\n\n");
        md.append("| round | under load | POST orders/s | POST p50 / p99 | JIT (share of one core) | CPU ms per order |\n"
                + "|---|---|---|---|---|---|\n");
        warmUp.forEach(r -> md.append(r).append('\n'));
        md.append('\n');

        md.append("## 1. Throughput, closed loop, beside the floor\n\n");
        md.append("| clients | POST orders/s | POST p50 / p99 | pgbench tps (floor) | ratio | target | |\n|---|---|---|---|---|---|---|\n");
        for (Closed c : closed) {
            double ratio = c.run().perSecond() / c.floorTps();
            boolean target = c.clients() == 8;
            md.append(String.format(Locale.ROOT, "| %d | %.0f | %.1f / %.1f ms | %.0f | %.2f | %s | %s |%n", c.clients(),
                    c.run().perSecond(), c.run().millis(50), c.run().millis(99), c.floorTps(), ratio,
                    target ? "≥ 0.50 (median of the pairs below)" : "—", ""));
        }
        if (!ratioPairs.isEmpty()) {
            md.append(String.format(Locale.ROOT, "%nAt 8 clients, %d pairs in turn (the first is the row above), POST orders/s "
                    + "against pgbench tps: %s; median ratio %s (target ≥ 0.50: %s).%n", ratioPairs.size(), pairsText(),
                    cut(medianRatio()), medianRatio() >= 0.50 ? "PASS" : "FAIL"));
        }
        md.append(machineCpu);
        md.append(pausedCpu);

        md.append("\n## 2. POST latency, open loop\n\n");
        md.append("| arrival rate | accepted/s | errors | p50 | p99 | p99.9 | floor p50 / p99 (pgbench -R, 8 conns) | target | |\n|---|---|---|---|---|---|---|---|---|\n");
        double best = 0;
        for (Open o : open) {
            boolean target = o.rate() == 100;
            double p99 = o.run().millis(99);
            if (p99 < 20 && o.run().errors() == 0) {
                best = Math.max(best, o.rate());
            }
            md.append(String.format(Locale.ROOT, "| %.0f/s | %.0f | %d | %.1f ms | %.1f ms | %.1f ms | %.1f / %.1f ms | %s | %s |%n",
                    o.rate(), o.run().perSecond(), o.run().errors(), o.run().millis(50), p99, o.run().millis(99.9),
                    floorMillis(o.floor(), 50), floorMillis(o.floor(), 99), target ? "p99 ≤ 20 ms" : "—",
                    target ? (p99 <= 20 ? "PASS" : "FAIL") : ""));
        }
        md.append(String.format(Locale.ROOT, "%nHighest arrival rate tried whose p99 stayed under 20 ms: **%s**.%n%n",
                best == 0 ? "none" : String.format(Locale.ROOT, "%.0f/s", best)));
        md.append("![POST latency against arrival rate](").append(chart).append(")\n\n");

        md.append("## 3. Commit → Telegram\n\n");
        md.append("| arrival rate | p50 | p99 | max | target | |\n|---|---|---|---|---|---|\n");
        for (Open o : open) {
            boolean target = o.rate() == 100;
            double p50 = o.delivery().millis(50);
            double p99 = o.delivery().millis(99);
            md.append(String.format(Locale.ROOT, "| %.0f/s | %.0f ms | %.0f ms | %.0f ms | %s | %s |%n", o.rate(), p50, p99,
                    o.delivery().millis(100), target ? "p50 ≤ 30 ms, p99 ≤ 150 ms" : "—",
                    target ? (p50 <= 30 && p99 <= 150 ? "PASS" : "FAIL") : ""));
        }
        double sustained = 0;
        for (Open o : open) {
            double after = (o.delivery().lastArrivalNanos() - o.run().endNanos()) / 1e9;
            if (o.run().perSecond() >= 0.97 * o.rate() && o.run().errors() == 0 && o.delivery().missing() == 0 && after <= 1) {
                sustained = Math.max(sustained, o.rate());
            }
        }
        md.append(String.format(Locale.ROOT, "%nHighest arrival rate the pipeline sustained (every order accepted, and "
                + "the last at the fake Telegram within 1 s of the load's end, so no backlog grew): **%s**.%n",
                sustained == 0 ? "none" : String.format(Locale.ROOT, "%.0f/s", sustained)));
        md.append("\nBursts, closed loop (section 1): does the pipeline keep up with the front door? The end-to-end rate is "
                + "the orders accepted over the time from the burst's start to the last one's arrival at the fake Telegram.\n\n");
        md.append("| clients | burst | POST orders/s | end to end orders/s | last at Telegram after the burst's end | delivered "
                + "| target | |\n|---|---|---|---|---|---|---|---|\n");
        for (Closed c : closed) {
            if (c.clients() >= 8) {
                md.append(burstRow(c)).append('\n');
            }
        }

        md.append("\n## 4. The customer does not wait for Telegram\n\n");
        md.append("| fake Telegram answers in | POST p50 | POST p99 | POST p99.9 | delivered |\n|---|---|---|---|---|\n");
        for (Slow s : slow) {
            md.append(String.format(Locale.ROOT, "| %d ms | %.1f ms | %.1f ms | %.1f ms | %s |%n", s.delayMillis(),
                    s.run().millis(50), s.run().millis(99), s.run().millis(99.9), onceText(s.delivery())));
        }
        if (slow.size() == 2) {
            double fast = slow.get(0).run().millis(99);
            double slowP99 = slow.get(1).run().millis(99);
            md.append(String.format(Locale.ROOT, "%nAt 100 orders/s, p99 %.1f ms with Telegram answering in %d ms against "
                    + "%.1f ms at once (ratio %.2f). Target: p99 with the slow Telegram ≤ 2 × p99 with the fast one + 5 ms: "
                    + "**%s**.%n", slowP99, slow.get(1).delayMillis(), fast, slowP99 / fast,
                    slowP99 <= 2 * fast + 5 ? "PASS" : "FAIL"));
        }

        md.append("\n## 5. Telegram outage and recovery\n\n");
        md.append("| | figure | target | |\n|---|---|---|---|\n");
        outage.forEach(r -> md.append(r).append('\n'));

        md.append("\n## 6. CPU and memory of the service process\n\n");
        md.append(String.format(Locale.ROOT, "RSS idle (after warm-up): **%.0f MiB**. ", rssIdle));
        for (Open o : open) {
            if (o.rate() == 500) {
                md.append(String.format(Locale.ROOT, "RSS at 500 orders/s: **%.0f MiB** at the end of the phase, %.0f MiB at most. ",
                        o.rss(), o.rssMax()));
            }
        }
        md.append("(`VmRSS` of /proc/<pid>/status.)\n\n");
        md.append("| phase | CPU ms per order (utime+stime of the service process, until its orders were at Telegram) |\n|---|---|\n");
        cpu.forEach((phase, ms) -> md.append(Double.isNaN(ms) ? "| " + phase + " | — (the service restarted during the phase) |\n"
                : String.format(Locale.ROOT, "| %s | %.2f |%n", phase, ms)));

        if (!cold.isEmpty()) {
            md.append(String.format(Locale.ROOT, "\n## 7. The first minute after a deploy\n\nFresh processes of the service, "
                    + "in turn: the jar with its warm-up turned off (`DUKAN_ORDERS_WARMUP=0s`); the jar as deployed, which "
                    + "sends itself rolled-back orders before it reports ready, until its JIT settles or `dukan.orders.warm-up` (60 s) is up; and the same "
                    + "with the JDK 25 AOT cache (`bench/aot-cache.sh`: classes loaded and linked, and method profiles, from "
                    + "a training run). Each is timed from its start to readiness and then driven at 8 clients. In brackets: "
                    + "the share of the warmed 8-client rate of section 1 (%.0f orders/s).%n%n", coldWarmed));
            md.append("| launch | round | start → ready | first 20 s orders/s | first minute orders/s | target | |\n"
                    + "|---|---|---|---|---|---|---|\n");
            cold.forEach(r -> md.append(r).append('\n'));
        }

        md.append("\n## Exactly once, every phase\n\n");
        md.append("| phase | accepted | errors | missing at Telegram when the phase's wait ended (see the notes) | duplicates | |\n|---|---|---|---|---|---|\n");
        phases.forEach(r -> md.append(r).append('\n'));
        md.append(jfr);
        md.append(statements);
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        md.append("\nRerun: `bench/run.sh --quick [--jfr]` or `bench/run.sh` (the full run, 60 s outage); phases, rates, "
                + "the outage and Telegram's budget are `--key=value` parameters (the `arg`/`intArg` names in "
                + "`ServiceBench.run`, e.g. `--rates=100,500 --outage-seconds=30 --slow-telegram-ms=3000`).\n");
        return md.toString();
    }

    private static double drainSeconds(Closed c) {
        return (c.delivery().lastArrivalNanos() - c.run().endNanos()) / 1e9;
    }

    private static double endToEndRate(Closed c) {
        return c.delivery().accepted() / ((c.delivery().lastArrivalNanos() - c.run().startNanos()) / 1e9);
    }

    private static boolean drained(Closed c) {
        return drainSeconds(c) <= 5 && c.delivery().exactlyOnce();
    }

    private static String burstRow(Closed c) {
        return String.format(Locale.ROOT, "| %d | %.0f s | %.0f | %.0f | %.2f s | %s | all within 5 s | %s |", c.clients(),
                c.run().seconds(), c.run().perSecond(), endToEndRate(c), drainSeconds(c), onceText(c.delivery()),
                drained(c) ? "PASS" : "FAIL");
    }

    /** The goals of the speed work, each row with its figure from this run and its target. */
    private String goals() {
        StringBuilder md = new StringBuilder("## Goals\n\n| figure | this run | target | |\n|---|---|---|---|\n");
        if (!ratioPairs.isEmpty()) {
            double ratio = medianRatio();
            md.append(String.format(Locale.ROOT, "| POST at 8 clients against pgbench of the same SQL, median of %d pairs "
                    + "(a burst, then pgbench, in turn) | %s (%s) | ≥ 0.50 | %s |%n", ratioPairs.size(), cut(ratio), pairsText(),
                    ratio >= 0.50 ? "PASS" : "FAIL"));
        }
        for (Closed c : closed) {
            if (c.clients() >= 8) {
                md.append(String.format(Locale.ROOT, "| %.0f s burst at %d clients: end to end, and the last order at "
                        + "Telegram after the burst's end | %.0f orders/s (POST %.0f/s); %.2f s | within 5 s | %s |%n",
                        c.run().seconds(), c.clients(), endToEndRate(c), c.run().perSecond(), drainSeconds(c),
                        drained(c) ? "PASS" : "FAIL"));
            }
        }
        for (Open o : open) {
            if (o.rate() == 100) {
                double p50 = o.delivery().millis(50);
                double p99 = o.delivery().millis(99);
                md.append(String.format(Locale.ROOT, "| 201 → Telegram at 100 orders/s | p50 %.0f ms, p99 %.0f ms | p50 ≤ 30 ms, "
                        + "p99 ≤ 150 ms | %s |%n", p50, p99, p50 <= 30 && p99 <= 150 ? "PASS" : "FAIL"));
            }
        }
        coldShares.forEach((launch, shares) -> {
            double share = median(shares);
            md.append(String.format(Locale.ROOT, "| a fresh JVM's first 20 s at 8 clients (%s), share of the warmed rate "
                    + "(median of %d rounds) | %s | ≥ 0.70 | %s |%n", launch, shares.size(), cut(share), share >= 0.70 ? "PASS" : "FAIL"));
        });
        return md.append("\nEach row's detail is in its section below.\n\n").toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double floorMillis(Histogram floor, double percentile) {
        return floor.getTotalCount() == 0 ? Double.NaN : floor.getValueAtPercentile(percentile) / 1000.0;
    }

    private static String onceText(Delivery delivery) {
        return delivery.missing() + " missing, " + delivery.duplicates() + " duplicates";
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |";
    }

    private static String fmt(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }

    /** POST p50/p99 and the floor's against the arrival rate, log-scale milliseconds. */
    private String svg() {
        int width = 720;
        int height = 420;
        int left = 70;
        int right = 170;
        int top = 40;
        int bottom = 60;
        double max = 20;
        for (Open o : open) {
            max = Math.max(max, Math.max(o.run().millis(99), floorMillis(o.floor(), 99)));
        }
        double lo = 0.1;
        double hi = Math.pow(10, Math.ceil(Math.log10(max)));
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\">POST /api/orders latency against "
                + "arrival rate (open loop, one %s run)</text>%n", left, quick ? "quick" : "full"));
        for (double tick = lo; tick <= hi * 1.0001; tick *= 10) {
            double y = top + plotH - plotH * (Math.log10(tick) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s ms</text>%n", left, y, left + plotW, y, left - 6,
                    y + 4, tick < 1 ? String.format(Locale.ROOT, "%.1f", tick) : String.format(Locale.ROOT, "%.0f", tick)));
        }
        int n = Math.max(1, open.size());
        double[] xs = new double[open.size()];
        for (int i = 0; i < open.size(); i++) {
            xs[i] = left + plotW * (n == 1 ? 0.5 : (double) i / (n - 1));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.0f/s</text>%n", xs[i],
                    top + plotH + 18, open.get(i).rate()));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">arrival rate (orders/s)</text>%n",
                left + plotW / 2, height - 15));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n",
                left, top, plotW, plotH));
        double target = top + plotH - plotH * (Math.log10(20) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#888\" "
                + "stroke-dasharray=\"2,4\"/>%n", left, target, left + plotW, target));
        String[][] series = {{"POST p50", "#1f77b4", ""}, {"POST p99", "#d62728", ""},
                {"floor p50 (pgbench)", "#1f77b4", "6,4"}, {"floor p99 (pgbench)", "#d62728", "6,4"},
                {"p99 target 20 ms", "#888", "2,4"}};
        for (int k = 0; k < 4; k++) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < open.size(); i++) {
                Open o = open.get(i);
                double v = switch (k) {
                    case 0 -> o.run().millis(50);
                    case 1 -> o.run().millis(99);
                    case 2 -> floorMillis(o.floor(), 50);
                    default -> floorMillis(o.floor(), 99);
                };
                if (Double.isNaN(v)) {
                    continue;
                }
                v = Math.max(lo, v);
                double y = top + plotH - plotH * (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", xs[i], y));
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", xs[i], y,
                        series[k][1]));
            }
            s.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    points.toString().trim(), series[k][1],
                    series[k][2].isEmpty() ? "" : " stroke-dasharray=\"" + series[k][2] + "\""));
        }
        for (int k = 0; k < series.length; k++) {
            int y = top + 10 + k * 20;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", left + plotW + 10, y, left + plotW + 35, y, series[k][1],
                    series[k][2].isEmpty() ? "" : " stroke-dasharray=\"" + series[k][2] + "\"", left + plotW + 40, y + 4,
                    series[k][0]));
        }
        s.append("</svg>\n");
        return s.toString();
    }
}
