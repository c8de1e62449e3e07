package com.onlinedukan.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;

/**
 * The floor: pgbench running the service's own transaction (order, its line, its outbox row) on a
 * copy of the schema in database {@code floor}, on the same server, which no relay reads.
 */
final class Pgbench {

    /** The columns of db/migration/V1 as OrderDesk and Outbox write them, with a payload of OrderPlaced's shape. */
    static final String SCRIPT = """
            BEGIN;
            INSERT INTO orders (id, version, customer_name, customer_phone, comment, total, status, created_at) VALUES (gen_random_uuid(), 1, 'Bench customer', '+998901234567', 'Call before delivery', 25.00, 'PLACED', now()) RETURNING id AS order_id \\gset
            INSERT INTO order_item (order_id, line_no, sku, name, quantity, unit_price) VALUES (:order_id, 1, 'TEA-001', 'Green tea 100g', 2, 12.50);
            INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload) VALUES (gen_random_uuid(), 'Order', :order_id, 'OrderPlaced', jsonb_build_object('orderId', CAST(:order_id AS text), 'customerName', 'Bench customer', 'customerPhone', '+998901234567', 'items', jsonb_build_array(jsonb_build_object('sku', 'TEA-001', 'name', 'Green tea 100g', 'quantity', 2, 'unitPrice', 12.50)), 'total', 25.00, 'comment', 'Call before delivery', 'placedAt', now()));
            COMMIT;
            """;
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: ([0-9]+)");

    record Run(double tps, long transactions, Histogram latencyMicros) {
    }

    private final String pgbench;
    private final int port;
    private final Path dir;
    private final Path script;

    Pgbench(String pgbench, int port, Path dir) throws IOException {
        this.pgbench = pgbench;
        this.port = port;
        this.dir = dir;
        this.script = dir.resolve("floor.sql");
        Files.writeString(script, SCRIPT);
    }

    /** {@code clients} connections for {@code seconds}; at a fixed {@code rate} (with latencies) when rate > 0. */
    Run run(int clients, int seconds, double rate) throws IOException, InterruptedException {
        String prefix = "pgb" + System.nanoTime();
        List<String> command = new ArrayList<>(List.of(pgbench, "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-U", "postgres", "-n", "-M", "prepared", "-c", Integer.toString(clients),
                "-j", Integer.toString(Math.min(clients, 2)), "-T", Integer.toString(seconds), "-f", script.toString()));
        if (rate > 0) {
            command.addAll(List.of("-R", Double.toString(rate), "-l", "--log-prefix=" + dir.resolve(prefix)));
        }
        command.add("floor");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("pgbench failed: " + out);
        }
        Matcher tps = TPS.matcher(out);
        double value = tps.find() ? Double.parseDouble(tps.group(1)) : Double.NaN;
        Matcher processed = PROCESSED.matcher(out);
        long transactions = processed.find() ? Long.parseLong(processed.group(1)) : 0;
        Histogram latency = new Histogram(120_000_000L, 3);
        if (rate > 0) {
            List<Path> logs;
            try (Stream<Path> files = Files.list(dir)) {
                logs = files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
            }
            for (Path log : logs) {
                for (String line : Files.readAllLines(log)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length >= 7) {
                        // elapsed transaction time + schedule lag = latency from the intended start
                        latency.recordValue(Math.min(120_000_000L, Long.parseLong(f[2]) + Long.parseLong(f[6])));
                    }
                }
                Files.delete(log);
            }
        }
        return new Run(value, transactions, latency);
    }
}
