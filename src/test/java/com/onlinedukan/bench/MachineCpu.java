package com.onlinedukan.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the whole machine's CPU goes, by process group, read from /proc (Linux): the service,
 * PostgreSQL's backends, its walsenders (logical decoding for the relay), Redis, this runner (the load
 * generator and the fake Bot API), pgbench, and the rest. A process that exits between two snapshots
 * (pgbench, its backends) is counted through its parent's {@code cutime}/{@code cstime}.
 */
final class MachineCpu {

    /** The groups, in the order the report prints them. */
    static final List<String> GROUPS = List.of("service", "PostgreSQL backends", "walsender", "Redis",
            "runner (load, fake Telegram)", "pgbench", "the rest");

    private static final double TICK_MILLIS = 10.0;

    private final long servicePid;

    MachineCpu(long servicePid) {
        this.servicePid = servicePid;
    }

    /** CPU milliseconds so far, by group, and the machine's busy milliseconds ("machine"). */
    Map<String, Double> snapshot() {
        Map<String, Double> millis = new LinkedHashMap<>();
        GROUPS.forEach(group -> millis.put(group, 0.0));
        long self = ProcessHandle.current().pid();
        double known = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                long pid = Long.parseLong(process.getFileName().toString());
                String[] stat = stat(process);
                if (stat == null) {
                    continue;
                }
                String comm = stat[0];
                String group = pid == servicePid ? "service"
                        : pid == self ? "runner (load, fake Telegram)"
                        : comm.equals("postgres") ? (cmdline(process).contains("walsender") ? "walsender" : "PostgreSQL backends")
                        : comm.startsWith("redis-server") ? "Redis"
                        : comm.equals("pgbench") ? "pgbench" : null;
                if (group == null) {
                    continue;
                }
                double own = ticks(stat, 11) + ticks(stat, 12);
                // Children waited for: exited backends in the postmaster's, exited pgbench runs in the runner's.
                double children = ticks(stat, 13) + ticks(stat, 14);
                String childGroup = group.equals("runner (load, fake Telegram)") ? "pgbench" : group;
                millis.merge(group, own, Double::sum);
                millis.merge(childGroup, children, Double::sum);
                known += own + children;
            }
        }
        catch (IOException e) {
            return millis;
        }
        double machine = machineBusyMillis();
        millis.put("the rest", Math.max(0, machine - known));
        millis.put("machine", machine);
        return millis;
    }

    /** after − before, by group. */
    static Map<String, Double> between(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> delta = new LinkedHashMap<>();
        after.forEach((group, value) -> delta.put(group, value - before.getOrDefault(group, 0.0)));
        // "the rest" is a remainder of two snapshots; its delta is the machine's less the groups'.
        double groups = GROUPS.stream().filter(g -> !g.equals("the rest")).mapToDouble(delta::get).sum();
        delta.put("the rest", Math.max(0, delta.get("machine") - groups));
        return delta;
    }

    /** [0] the comm, then the fields after "(comm) ", state first: {@link #ticks} counts from there (utime is 11). */
    private static String[] stat(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String[] rest = stat.substring(close + 2).split(" ");
            String[] fields = new String[rest.length + 1];
            fields[0] = stat.substring(open + 1, close);
            System.arraycopy(rest, 0, fields, 1, rest.length);
            return fields;
        }
        catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Field {@code field} after "(comm) " (state is 0, utime 11, stime 12, cutime 13, cstime 14), in ms. */
    private static double ticks(String[] stat, int field) {
        return Long.parseLong(stat[field + 1]) * TICK_MILLIS;
    }

    private static String cmdline(Path process) {
        try {
            return Files.readString(process.resolve("cmdline")).replace('\0', ' ');
        }
        catch (IOException e) {
            return "";
        }
    }

    /** The machine's busy time: user, nice, system, irq, softirq and steal of /proc/stat's "cpu" line. */
    private static double machineBusyMillis() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(cpu[i]);
            }
            return busy * TICK_MILLIS;
        }
        catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
