package com.onlinedukan.chaos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The PostgreSQL and Redis servers the run owns (started by chaos/run.sh in a temp dir): PostgreSQL
 * through {@code pg_ctl} (a wrapper script that runs it as the right user), Redis as a child process
 * of this JVM, so both can be stopped and started again as faults.
 */
final class Servers implements AutoCloseable {

    private final Path pgCtl;
    final int postgresPort;
    private final String redisServer;
    private final Path redisDirectory;
    final int redisPort;
    private Process redis;

    Servers(Path pgCtl, int postgresPort, String redisServer, Path redisDirectory, int redisPort) {
        this.pgCtl = pgCtl;
        this.postgresPort = postgresPort;
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
