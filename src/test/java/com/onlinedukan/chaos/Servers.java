package com.onlinedukan.chaos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The PostgreSQL and Redis servers the run owns (started by chaos/run.sh in a temp dir): PostgreSQL
 * through {@code pg_ctl} (a wrapper script that runs it as the right user, under libfaketime when it is
 * installed), Redis as a child process of this JVM, so both can be stopped and started again as
 * faults. The runner also speaks SQL to PostgreSQL as its superuser, as an SRE (or a script) would,
 * to drop the relay's slot and to read real event ids; and sets PostgreSQL's wall clock through
 * libfaketime's timestamp file.
 */
final class Servers implements AutoCloseable {

    private final Path pgCtl;
    final int postgresPort;
    /** libfaketime's FAKETIME_TIMESTAMP_FILE for PostgreSQL (null: PostgreSQL runs on the real clock). */
    private final Path pgClock;
    private final String redisServer;
    private final Path redisDirectory;
    final int redisPort;
    private Process redis;

    Servers(Path pgCtl, int postgresPort, Path pgClock, String redisServer, Path redisDirectory, int redisPort) {
        this.pgCtl = pgCtl;
        this.postgresPort = postgresPort;
        this.pgClock = pgClock;
        this.redisServer = redisServer;
        this.redisDirectory = redisDirectory;
        this.redisPort = redisPort;
    }

    /** {@code pg_ctl stop -m fast|immediate}. */
    void stopPostgres(String mode) throws IOException, InterruptedException {
        pgCtl("stop", "-m", mode);
    }

    void startPostgres() throws IOException, InterruptedException {
        pgCtl("start");
    }

    private void pgCtl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(pgCtl.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("pg_ctl " + String.join(" ", arguments) + " failed: " + output);
        }
    }

    Connection sql() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgresPort + "/dukan?connectTimeout=5"
                + "&socketTimeout=20", "postgres", "chaos");
    }

    /** What dropping the slot took. */
    record DroppedSlot(String slot, List<Integer> walsendersTerminated, int attempts, String walAtDrop, boolean wasStreaming) {
    }

    /**
     * Terminates the walsender that streams from the service's logical slot and drops the slot, as an
     * SRE freeing disk (or a careless script) does: {@code pg_terminate_backend(active_pid)}, then
     * {@code pg_drop_replication_slot}, again until the drop wins the race with the relay's reconnect.
     */
    DroppedSlot dropReplicationSlot(Duration limit) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        // Under load means while a walsender streams from it: wait (a while) for the relay to be attached.
        long streaming = System.nanoTime() + limit.toNanos() / 2;
        List<Integer> terminated = new ArrayList<>();
        int attempts = 0;
        try (Connection connection = sql(); Statement statement = connection.createStatement()) {
            while (true) {
                attempts++;
                String slot = null;
                Integer pid = null;
                try (ResultSet slots = statement.executeQuery("SELECT slot_name, active_pid FROM pg_replication_slots "
                        + "WHERE database = 'dukan' AND slot_type = 'logical' ORDER BY slot_name LIMIT 1")) {
                    if (slots.next()) {
                        slot = slots.getString(1);
                        pid = (Integer) slots.getObject(2);
                    }
                }
                if (slot == null) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no logical replication slot in database dukan to drop");
                    }
                    Thread.sleep(200);
                    continue;
                }
                if (pid == null && terminated.isEmpty() && System.nanoTime() < streaming) {
                    Thread.sleep(100);
                    continue;
                }
                if (pid != null) {
                    try (ResultSet done = statement.executeQuery("SELECT pg_terminate_backend(" + pid + ")")) {
                        terminated.add(pid);
                    }
                }
                try {
                    String wal;
                    try (ResultSet lsn = statement.executeQuery("SELECT pg_current_wal_lsn()::text")) {
                        lsn.next();
                        wal = lsn.getString(1);
                    }
                    statement.execute("SELECT pg_drop_replication_slot('" + slot.replace("'", "''") + "')");
                    return new DroppedSlot(slot, terminated, attempts, wal, !terminated.isEmpty());
                }
                catch (SQLException e) {
                    // "replication slot ... is active for PID n": the relay reconnected first; again.
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(20);
                }
            }
        }
    }

    /** Event ids the outbox holds, newest first: what a forged stream entry names to pass as real. */
    List<UUID> recentEventIds(int limit) {
        List<UUID> ids = new ArrayList<>();
        try (Connection connection = sql(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id FROM outbox ORDER BY created_at DESC LIMIT " + limit)) {
            while (rows.next()) {
                ids.add((UUID) rows.getObject(1));
            }
        }
        catch (SQLException e) {
            // PostgreSQL may be down for another fault: forge unknown ids only.
        }
        return ids;
    }

    /** PostgreSQL's {@code clock_timestamp()} against this JVM's clock, in seconds (empty when unreachable). */
    Optional<Double> databaseClockAheadSeconds() {
        try (Connection connection = sql(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT extract(epoch FROM clock_timestamp())")) {
            Instant here = Instant.now();
            rows.next();
            return Optional.of(rows.getDouble(1) - here.toEpochMilli() / 1000.0);
        }
        catch (SQLException e) {
            return Optional.empty();
        }
    }

    boolean canMoveDatabaseClock() {
        return pgClock != null && Files.isWritable(pgClock);
    }

    /** Sets PostgreSQL's wall clock {@code seconds} ahead of the real one (0: back); its processes read it within 1 s. */
    void databaseClockAhead(int seconds) throws IOException {
        if (!canMoveDatabaseClock()) {
            throw new IllegalStateException("PostgreSQL does not run under libfaketime (install the Debian package "
                    + "faketime): its clock cannot be moved");
        }
        Path next = pgClock.resolveSibling(pgClock.getFileName() + ".next");
        Files.writeString(next, (seconds >= 0 ? "+" : "") + seconds + "\n", StandardCharsets.US_ASCII);
        Files.move(next, pgClock, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    void startRedis() throws IOException, InterruptedException {
        Files.createDirectories(redisDirectory);
        redis = new ProcessBuilder(redisServer, "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--dir", redisDirectory.toString(), "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
                "--logfile", redisDirectory.resolve("redis.log").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        awaitListening(redisPort);
    }

    /** Stops Redis, deletes its data (AOF and dump), and starts it empty. */
    void stopRedisAndForgetEverything() throws IOException, InterruptedException {
        if (redis != null) {
            redis.destroy();
            if (!redis.waitFor(10, TimeUnit.SECONDS)) {
                redis.destroyForcibly().waitFor();
            }
        }
        try (Stream<Path> files = Files.walk(redisDirectory)) {
            files.sorted(Comparator.reverseOrder())
                    .filter(p -> !p.equals(redisDirectory) && !p.getFileName().toString().equals("redis.log"))
                    .forEach(p -> p.toFile().delete());
        }
    }

    private static void awaitListening(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            }
            catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("nothing listens on port " + port);
    }

    @Override
    public void close() throws InterruptedException {
        if (redis != null && redis.isAlive()) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
