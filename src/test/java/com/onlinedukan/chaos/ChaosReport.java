package com.onlinedukan.chaos;

import com.onlinedukan.support.FakeBotApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the chaos run found: accepted, delivered, lost, duplicated (each copy beyond the first matched
 * to the fault that explains it), DEAD, the delay from 201 to the first copy, and the faults; printed,
 * and written as JSON, Markdown and an SVG chart of the faults against the delivery backlog.
 *
 * <p>A copy beyond the first is explained when the copy before it was accepted by Telegram while its
 * sender could not learn or record that: its answer came after the client's timeout (a slow-answer
 * spell), or a fault that loses acknowledgements ({@link FaultPlan#LOSES_ACKNOWLEDGEMENTS}) hit the
 * instance that sent it, or the instance that sent the repeat, or every instance, between
 * {@link #BEFORE} before the fault began and {@link #AFTER} after it ended, or the database's clock
 * stepped forward ({@link FaultPlan#STEPS_THE_LEASE_CLOCK}) between {@link #BEFORE} before the step
 * and one notification lease after it (every claim's lease ran out at the step). A slot dropped,
 * hostile stream entries, a refusal, slow clients and the clock stepping back explain nothing.
 *
 * <p>A notification for an order that only a forged stream entry named (a phantom) fails the run:
 * whoever can write to Redis must not put words in the staff chat.
 */
final class ChaosReport {

    /** A send in flight when the fault began: Telegram took it, the record was still to be written. */
    static final long BEFORE = TimeUnit.SECONDS.toNanos(2);
    /** Connections broken by the fault fail the first record after it (a pool's stale connection). */
    static final long AFTER = TimeUnit.SECONDS.toNanos(5);

    record Duplicate(String orderId, int copy, double firstAt, int firstInstance, double copyAt, int copyInstance,
            String explainedBy) {
    }

    private final ChaosRun run;
    private final long loadEnd;
    private final long drainStart;
    private final long drained;
    private final long end;
    private final long dead;
    private final List<String> lost = new ArrayList<>();
    private final List<Duplicate> duplicates = new ArrayList<>();
    private final Map<FaultPlan.Kind, Integer> explainedByKind = new EnumMap<>(FaultPlan.Kind.class);
    private final long[] delaysMillis;
    private final long delivered;
    private final long acceptedCount;
    private final long unacceptedDelivered;
    private final List<String> phantomsDelivered = new ArrayList<>();
    private final Map<String, Long> firstCopyNanos = new java.util.HashMap<>();
    private final TakesCheck takes;

    ChaosReport(ChaosRun run, long loadEnd, long drainStart, long drained, long end, long dead) {
        this.run = run;
        this.loadEnd = loadEnd;
        this.drainStart = drainStart;
        this.drained = drained;
        this.end = end;
        this.dead = dead;
        this.takes = run.staffMember == null ? null : new TakesCheck(run);
        Map<String, Long> accepted = run.driver.accepted();
        Map<String, List<FakeBotApi.Copy>> copies = run.telegram.copies();
        this.acceptedCount = accepted.size();
        List<Long> delays = new ArrayList<>();
        long deliveredCount = 0;
        for (Map.Entry<String, Long> order : new TreeMap<>(accepted).entrySet()) {
            List<FakeBotApi.Copy> its = copies.get(order.getKey());
            if (its == null || its.isEmpty()) {
                lost.add(order.getKey());
                continue;
            }
            deliveredCount++;
            long first = its.stream().mapToLong(FakeBotApi.Copy::atNanos).min().getAsLong();
            firstCopyNanos.put(order.getKey(), first);
            delays.add(Math.max(0, TimeUnit.NANOSECONDS.toMillis(first - order.getValue())));
        }
        this.delivered = deliveredCount;
        this.delaysMillis = delays.stream().mapToLong(Long::longValue).sorted().toArray();
        // Every order that reached Telegram, also one whose client gave up before its 201: a repeat is a repeat.
        for (Map.Entry<String, List<FakeBotApi.Copy>> order : new TreeMap<>(copies).entrySet()) {
            List<FakeBotApi.Copy> its = new ArrayList<>(order.getValue());
            its.sort(Comparator.comparingLong(FakeBotApi.Copy::atNanos));
            for (int k = 1; k < its.size(); k++) {
                FakeBotApi.Copy before = its.get(k - 1);
                FakeBotApi.Copy copy = its.get(k);
                String why = explain(before, copy).orElse(null);
                duplicates.add(new Duplicate(order.getKey(), k + 1, run.seconds(before.atNanos()), before.port(),
                        run.seconds(copy.atNanos()), copy.port(), why));
            }
        }
        java.util.Set<String> phantoms = run.hostile.phantoms();
        copies.keySet().stream().filter(phantoms::contains).sorted().forEach(phantomsDelivered::add);
        this.unacceptedDelivered = copies.keySet().stream().filter(id -> !accepted.containsKey(id) && !phantoms.contains(id))
                .count();
    }

    /**
     * What a fault did to the orders accepted while it lasted (or up to {@link #AFTER} after it): how
     * many of them were lost, and the longest wait from a {@code 201} to the first copy among them.
     */
    private String ordersDuring(ChaosRun.Fault fault) {
        long lostThere = 0;
        long worst = -1;
        long count = 0;
        for (Map.Entry<String, Long> order : run.driver.accepted().entrySet()) {
            long at = order.getValue();
            if (at < fault.startNanos() || at > fault.endNanos() + AFTER) {
                continue;
            }
            count++;
            Long first = firstCopyNanos.get(order.getKey());
            if (first == null) {
                lostThere++;
            }
            else {
                worst = Math.max(worst, first - at);
            }
        }
        return count == 0 ? "none" : String.format(Locale.ROOT, "%d: %d lost, slowest %s", count, lostThere,
                worst < 0 ? "-" : String.format(Locale.ROOT, "%.1f s", worst / 1e9));
    }

    /** Seconds (samples) the relay spent in each state, in the order the states first came. */
    Map<String, Long> relayStates() {
        Map<String, Long> states = new LinkedHashMap<>();
        run.samples.forEach(sample -> states.merge(sample.relayState(), 1L, Long::sum));
        return states;
    }

    /** How many times each kind of fault was injected. */
    Map<FaultPlan.Kind, Integer> injectedByKind() {
        Map<FaultPlan.Kind, Integer> counts = new EnumMap<>(FaultPlan.Kind.class);
        run.faults.forEach(fault -> counts.merge(fault.kind(), 1, Integer::sum));
        return counts;
    }

    /** The fault that explains {@code copy}, the closest in time to the copy before it when several could. */
    private Optional<String> explain(FakeBotApi.Copy before, FakeBotApi.Copy copy) {
        ChaosRun.Fault best = null;
        long bestDistance = Long.MAX_VALUE;
        for (ChaosRun.Fault fault : run.faults) {
            long at = before.atNanos();
            if (explains(fault, before, copy, run.notificationLease.toNanos())) {
                long distance = at < fault.startNanos() ? fault.startNanos() - at : Math.max(0, at - fault.endNanos());
                if (distance < bestDistance) {
                    best = fault;
                    bestDistance = distance;
                }
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        explainedByKind.merge(best.kind(), 1, Integer::sum);
        return Optional.of(label(best));
    }

    /**
     * Whether {@code fault} explains {@code copy}, a repeat of {@code before}: Telegram took
     * {@code before} while its sender could not learn or record it (the windows in the class comment).
     */
    static boolean explains(ChaosRun.Fault fault, FakeBotApi.Copy before, FakeBotApi.Copy copy, long notificationLeaseNanos) {
        long at = before.atNanos();
        boolean late = before.answerLate() && fault.kind() == FaultPlan.Kind.TELEGRAM_SLOW
                && at >= fault.startNanos() && at <= fault.endNanos();
        boolean lostAcknowledgement = FaultPlan.LOSES_ACKNOWLEDGEMENTS.contains(fault.kind())
                && (fault.instance() < 0 || fault.instance() == before.port() || fault.instance() == copy.port())
                && at >= fault.startNanos() - BEFORE && at <= fault.endNanos() + AFTER;
        boolean leasesRanOut = FaultPlan.STEPS_THE_LEASE_CLOCK.contains(fault.kind())
                && at >= fault.startNanos() - BEFORE && at <= fault.startNanos() + notificationLeaseNanos;
        return late || lostAcknowledgement || leasesRanOut;
    }

    private String label(ChaosRun.Fault fault) {
        return String.format(Locale.ROOT, "%s on %s at %.1f s", fault.kind(), fault.target(), run.seconds(fault.startNanos()));
    }

    /** Kinds of fault the run did not inject (a failed injection is in the notes). */
    List<FaultPlan.Kind> missingKinds() {
        List<FaultPlan.Kind> missing = new ArrayList<>(List.of(FaultPlan.Kind.values()));
        run.faults.forEach(fault -> missing.remove(fault.kind()));
        return missing;
    }

    /** Seconds in which both instances said they held the relay lease. */
    long twoLeaders() {
        return run.samples.stream().filter(sample -> sample.leaders() > 1).count();
    }

    long unexplained() {
        return duplicates.stream().filter(d -> d.explainedBy() == null).count();
    }

    double percentile(double p) {
        if (delaysMillis.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * delaysMillis.length) - 1;
        return delaysMillis[Math.max(0, Math.min(delaysMillis.length - 1, index))];
    }

    /** Prints the report, writes it, and says whether the run passed. */
    boolean write(Path jsonFile, Path markdownFile, Path svgFile) throws IOException {
        List<FaultPlan.Kind> missing = missingKinds();
        boolean passed = lost.isEmpty() && dead == 0 && unexplained() == 0 && acceptedCount > 0
                && run.telegramFaults.earlySends().isEmpty() && missing.isEmpty() && phantomsDelivered.isEmpty()
                && (takes == null || takes.violations() == 0);
        if (!missing.isEmpty()) {
            run.notes.add("Faults that never happened (the run proves nothing about them, so it fails): " + missing);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mode", run.longRun ? "long" : "short");
        json.put("seed", run.seed);
        json.put("started", run.startWall.toString());
        json.put("passed", passed);
        json.put("replay", "chaos/run.sh --" + (run.longRun ? "long" : "short") + " --seed=" + run.seed);
        Map<String, Object> orders = new LinkedHashMap<>();
        orders.put("placed", run.driver.orders());
        orders.put("accepted", acceptedCount);
        orders.put("delivered", delivered);
        orders.put("lost", lost.size());
        orders.put("duplicated", duplicates.size());
        orders.put("duplicatedUnexplained", unexplained());
        orders.put("dead", dead);
        orders.put("clientRetries", run.driver.retries());
        orders.put("idempotentReplays", run.driver.replayed());
        orders.put("abandonedByClient", run.driver.abandoned());
        orders.put("rejected", run.driver.rejected());
        orders.put("deliveredWithout201", unacceptedDelivered);
        orders.put("phantomsDelivered", phantomsDelivered.size());
        json.put("orders", orders);
        if (takes != null) {
            json.put("acknowledgement", takes.json());
        }
        Map<String, Object> delay = new LinkedHashMap<>();
        delay.put("p50Millis", percentile(50));
        delay.put("p99Millis", percentile(99));
        delay.put("maxMillis", delaysMillis.length == 0 ? Double.NaN : delaysMillis[delaysMillis.length - 1]);
        json.put("deliveryDelay", delay);
        Map<String, Object> timeline = new LinkedHashMap<>();
        timeline.put("loadEndSeconds", round(run.seconds(loadEnd)));
        timeline.put("drainStartSeconds", round(run.seconds(drainStart)));
        timeline.put("allDeliveredSeconds", round(run.seconds(drained)));
        timeline.put("endSeconds", round(run.seconds(end)));
        json.put("timeline", timeline);
        json.put("telegram", run.telegramFaults.counters(run.telegram.counters()));
        json.put("sendsInsideRetryAfter", run.telegramFaults.earlySends().size());
        json.put("secondsWithTwoRelayLeaders", twoLeaders());
        List<Map<String, Object>> faultList = new ArrayList<>();
        for (ChaosRun.Fault fault : run.faults) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("kind", fault.kind().name());
            f.put("target", fault.target());
            f.put("startSeconds", round(run.seconds(fault.startNanos())));
            f.put("endSeconds", round(run.seconds(fault.endNanos())));
            f.put("wallStart", fault.wallStart().toString());
            f.put("detail", fault.detail());
            f.put("ordersAcceptedMeanwhile", ordersDuring(fault));
            faultList.add(f);
        }
        json.put("faults", faultList);
        json.put("faultsInjectedByKind", injectedByKind());
        json.put("faultCounters", run.faultCounters);
        json.put("relayStateSeconds", relayStates());
        json.put("atTheEnd", run.settled);
        Map<String, Object> hostile = new LinkedHashMap<>();
        hostile.put("forgedWithRealEventIds", run.hostile.forgedReal());
        hostile.put("forgedWithUnknownEventIds", run.hostile.forgedUnknown());
        hostile.put("phantomOrderIdsNamed", run.hostile.phantoms().size());
        hostile.put("phantomOrderIdsDelivered", phantomsDelivered);
        json.put("hostileStreamEntries", hostile);
        json.put("duplicatesExplainedBy", explainedByKind);
        json.put("duplicates", duplicates);
        json.put("lostOrderIds", lost);
        json.put("notes", run.notes);
        List<Map<String, Object>> backlog = new ArrayList<>();
        for (ChaosRun.Sample sample : run.samples) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("t", round(run.seconds(sample.atNanos())));
            s.put("accepted", sample.accepted());
            s.put("notAtTelegram", sample.undelivered());
            s.put("outboxUndelivered", sample.opsBacklog());
            s.put("instancesSayingTheyLead", sample.leaders());
            s.put("relayState", sample.relayState());
            backlog.add(s);
        }
        json.put("backlog", backlog);
        JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        Files.writeString(jsonFile, mapper.writeValueAsString(json));
        String markdown = markdown(passed, svgFile.getFileName().toString());
        Files.writeString(markdownFile, markdown);
        Files.writeString(svgFile, svg());
        System.out.println(markdown);
        System.out.println("report: " + markdownFile + ", " + jsonFile + ", " + svgFile);
        return passed;
    }

    private String markdown(boolean passed, String svgName) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "# Chaos run (%s), seed %d: %s%n%n", run.longRun ? "long" : "short", run.seed,
                passed ? "PASSED" : "FAILED"));
        md.append(String.format(Locale.ROOT, "Started %s; replay with `chaos/run.sh --%s --seed=%d`. Two instances of "
                + "the packaged jar, each with its own proxies to PostgreSQL and Redis and its own port of the fake Bot "
                + "API; orders at a steady rate, alternating between the instances, retried with their "
                + "`Idempotency-Key` on a timeout, a connection error or a 5xx.%n%n", run.startWall,
                run.longRun ? "long" : "short", run.seed));
        md.append("| figure | value | goal |\n|---|---|---|\n");
        md.append(row("orders placed (distinct Idempotency-Keys)", run.driver.orders(), ""));
        md.append(row("accepted (201)", acceptedCount, ""));
        md.append(row("delivered (at the fake Telegram)", delivered, "= accepted"));
        md.append(row("**lost** (accepted, never delivered)", lost.size(), "0"));
        md.append(row("**duplicated** (copies beyond the first)", duplicates.size(), "each explained"));
        md.append(row("duplicated without a fault to explain it", unexplained(), "0"));
        md.append(row("**DEAD** (ops API)", dead, "0"));
        md.append(String.format(Locale.ROOT, "| 201 → first copy at Telegram, p50 / p99 / max | %.0f / %.0f / %.0f ms | |%n",
                percentile(50), percentile(99), delaysMillis.length == 0 ? Double.NaN : (double) delaysMillis[delaysMillis.length - 1]));
        md.append(row("client retries / idempotent replays", run.driver.retries() + " / " + run.driver.replayed(), ""));
        md.append(row("orders the client gave up on / rejected", run.driver.abandoned() + " / " + run.driver.rejected(), "0 / 0"));
        md.append(row("delivered orders whose client never saw the 201", unacceptedDelivered, ""));
        md.append(row("**phantoms** delivered (orders only a forged stream entry named)", phantomsDelivered.size() + " of "
                + run.hostile.phantoms().size(), "0"));
        if (takes != null) {
            md.append(takes.markdownRows());
        }
        md.append(row("sends inside a retry_after pause (later than 1 s after the 429)", run.telegramFaults.earlySends().size(), "0"));
        md.append(row("samples (one a second) in which both instances said they held the relay lease", twoLeaders(),
                "0 (reported; not a pass criterion, the slot and the ledger absorb it)"));
        md.append(String.format(Locale.ROOT, "| timeline | load until %.0f s, all delivered at %.0f s, end %.0f s | |%n",
                run.seconds(loadEnd), run.seconds(drained), run.seconds(end)));
        md.append("\nTelegram: ").append(run.telegramFaults.counters(run.telegram.counters())).append(".\n\n");
        md.append("Faults injected by kind: ").append(injectedByKind()).append("; what the new kinds did, summed: ")
                .append(run.faultCounters).append(".\n\n");
        md.append("Relay state, seconds in each (one sample a second): ").append(relayStates()).append("; at the end: ")
                .append(run.settled).append(".\n\n");
        md.append("![faults against the delivery backlog](").append(svgName).append(")\n\n");
        md.append("## Faults\n\n| start (s) | end (s) | fault | target | detail | duplicates it explains | orders accepted "
                + "meanwhile (to 5 s after) |\n|---|---|---|---|---|---|---|\n");
        for (ChaosRun.Fault fault : run.faults) {
            String label = label(fault);
            long explained = duplicates.stream().filter(d -> label.equals(d.explainedBy())).count();
            md.append(String.format(Locale.ROOT, "| %.1f | %.1f | %s | %s | %s | %d | %s |%n", run.seconds(fault.startNanos()),
                    run.seconds(fault.endNanos()), fault.kind(), fault.target(), fault.detail().replace("|", "\\|"), explained,
                    ordersDuring(fault)));
        }
        md.append("\nKinds: ");
        for (FaultPlan.Kind kind : FaultPlan.Kind.values()) {
            md.append("`").append(kind).append("` ").append(kind.description).append("; ");
        }
        md.append("\n\n");
        if (!duplicates.isEmpty()) {
            md.append("## Duplicates\n\nA copy is explained when the copy before it reached Telegram while its sender could "
                    + "not learn or record it: its answer came after the client's timeout during a slow-answer spell, or a "
                    + "kill, stop, PostgreSQL restart or PostgreSQL cut hit the sender of either copy (or every instance) "
                    + "from 2 s before the fault to 5 s after it, or the database's clock stepped forward from 2 s before "
                    + "the step to one notification lease after it.\n\n");
            md.append("| order | copy | previous copy (s, instance) | this copy (s, instance) | explained by |\n|---|---|---|---|---|\n");
            duplicates.stream().limit(200).forEach(d -> md.append(String.format(Locale.ROOT, "| `%s` | %d | %.2f, %s | %.2f, %s | %s |%n",
                    d.orderId(), d.copy(), d.firstAt(), name(d.firstInstance()), d.copyAt(), name(d.copyInstance()),
                    d.explainedBy() == null ? "**nothing**" : d.explainedBy())));
            if (duplicates.size() > 200) {
                md.append("\n(").append(duplicates.size() - 200).append(" more in the JSON report.)\n");
            }
            md.append('\n');
        }
        if (!phantomsDelivered.isEmpty()) {
            md.append("## Phantoms\n\nOrders nobody placed, named only by a forged stream entry, that reached the chat:\n\n");
            phantomsDelivered.stream().limit(100).forEach(id -> md.append("- `").append(id).append("`\n"));
            md.append('\n');
        }
        if (!lost.isEmpty()) {
            md.append("## Lost\n\n");
            lost.stream().limit(100).forEach(id -> md.append("- `").append(id).append("`\n"));
            md.append('\n');
        }
        if (!run.notes.isEmpty()) {
            md.append("## Notes\n\n");
            run.notes.forEach(n -> md.append("- ").append(n).append('\n'));
            md.append('\n');
        }
        return md.toString();
    }

    private static String name(int instance) {
        return "instance-" + (char) ('a' + instance);
    }

    static String row(String name, Object value, String goal) {
        return "| " + name + " | " + value + " | " + goal + " |\n";
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** The backlog over time (top) and each fault as a bar in its kind's row (bottom), on one time axis. */
    private String svg() {
        int width = 1000;
        int left = 230;
        int right = 30;
        int top = 40;
        int plotH = 220;
        int rowH = 16;
        FaultPlan.Kind[] kinds = FaultPlan.Kind.values();
        int ganttTop = top + plotH + 40;
        int height = ganttTop + kinds.length * rowH + 50;
        int plotW = width - left - right;
        double span = Math.max(1, run.seconds(end));
        long max = 10;
        for (ChaosRun.Sample s : run.samples) {
            max = Math.max(max, Math.max(s.undelivered(), s.opsBacklog()));
        }
        double yMax = niceCeiling(max);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n",
                width, height, width, height));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\">Chaos run (%s, seed %d): delivery "
                + "backlog against the faults; %d accepted, %d lost, %d duplicated (%d unexplained), %d dead</text>%n",
                left - 180, run.longRun ? "long" : "short", run.seed, acceptedCount, lost.size(), duplicates.size(),
                unexplained(), dead));
        for (int i = 0; i <= 4; i++) {
            double v = yMax * i / 4;
            double y = top + plotH - plotH * v / yMax;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>%n", left, y, left + plotW, y, left - 6, y + 4, v));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">orders waiting</text>%n", left - 40,
                top + plotH / 2));
        double tickStep = niceCeiling(span / 10);
        for (double t = 0; t <= span; t += tickStep) {
            double x = left + plotW * t / span;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.0f s</text>%n", x, top, x,
                    ganttTop + kinds.length * rowH, x, ganttTop + kinds.length * rowH + 16, t));
        }
        for (double[] mark : new double[][] {{run.seconds(loadEnd)}, {run.seconds(drained)}}) {
            double x = left + plotW * mark[0] / span;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\" "
                    + "stroke-dasharray=\"4,3\"/>%n", x, top, x, ganttTop + kinds.length * rowH));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" fill=\"#555\">load stops</text>%n",
                left + plotW * run.seconds(loadEnd) / span - 3, top + 12));
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" fill=\"#555\">all "
                + "delivered</text>%n", left + plotW * run.seconds(drained) / span - 3, top + 26));
        s.append(series(run.samples.stream().map(x -> new double[] {run.seconds(x.atNanos()), x.opsBacklog()}).toList(),
                left, top, plotW, plotH, span, yMax, "#ff7f0e", "3,2"));
        s.append(series(run.samples.stream().map(x -> new double[] {run.seconds(x.atNanos()), x.undelivered()}).toList(),
                left, top, plotW, plotH, span, yMax, "#1f77b4", ""));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n",
                left, top, plotW, plotH));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1f77b4\" stroke-width=\"2\"/>"
                + "<text x=\"%d\" y=\"%d\">accepted, not yet at Telegram (runner)</text>%n", left + 10, top + plotH + 20,
                left + 35, top + plotH + 20, left + 40, top + plotH + 24));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ff7f0e\" stroke-width=\"2\" "
                + "stroke-dasharray=\"3,2\"/><text x=\"%d\" y=\"%d\">outbox undelivered (GET /api/ops/pipeline of a live "
                + "instance)</text>%n", left + 300, top + plotH + 20, left + 325, top + plotH + 20, left + 330, top + plotH + 24));
        for (int k = 0; k < kinds.length; k++) {
            int y = ganttTop + k * rowH;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", left - 6, y + 11,
                    kinds[k].name().toLowerCase(Locale.ROOT).replace('_', ' ')));
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#f3f3f3\"/>%n", left,
                    y + rowH, left + plotW, y + rowH));
            for (ChaosRun.Fault fault : run.faults) {
                if (fault.kind() != kinds[k]) {
                    continue;
                }
                double x0 = left + plotW * run.seconds(fault.startNanos()) / span;
                double w = Math.max(2, plotW * (fault.endNanos() - fault.startNanos()) / 1e9 / span);
                String colour = kinds[k].infrastructure ? (fault.instance() == 1 ? "#9467bd" : fault.instance() == 0
                        ? "#d62728" : "#8c564b") : "#2ca02c";
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                        + "<title>%s %s %s</title></rect>%n", x0, y + 2, w, rowH - 4, colour, fault.kind(), fault.target(),
                        fault.detail()));
            }
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">faults: red instance-a, purple instance-b, brown "
                + "every instance, green Telegram</text>%n", left, height - 12));
        s.append("</svg>\n");
        return s.toString();
    }

    private static String series(List<double[]> points, int left, int top, int plotW, int plotH, double span, double yMax,
            String colour, String dash) {
        StringBuilder line = new StringBuilder();
        for (double[] p : points) {
            if (p[1] < 0) {
                continue;
            }
            line.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + plotW * p[0] / span, top + plotH - plotH * p[1] / yMax));
        }
        return String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"%s/>%n",
                line.toString().trim(), colour, dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"");
    }

    private static double niceCeiling(double value) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(1e-9, value))));
        for (double step : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
