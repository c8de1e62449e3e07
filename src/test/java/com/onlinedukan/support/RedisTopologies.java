package com.onlinedukan.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * Real Debian {@code redis-server} processes on loopback, in the topologies Spring Boot supports
 * beyond one server: a Redis Cluster of masters, and a master with a replica watched by a Sentinel.
 * Every process is killed when its topology closes, and on JVM exit whatever is still running.
 * Without {@code /usr/bin/redis-server} (and {@code redis-cli}) the test fails saying so: CI
 * ({@code .ci/run}) installs them, and a topology test that skipped would prove nothing.
 */
public final class RedisTopologies {

    /** Where Debian's package puts them; {@code dukan.test.redis-bin} points elsewhere. */
    private static final Path BIN = Path.of(System.getProperty("dukan.test.redis-bin", "/usr/bin"));
    private static final Set<Process> running = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> running.forEach(Process::destroyForcibly),
                "redis-topologies-cleanup"));
    }

    private RedisTopologies() {
    }

    /** A Redis Cluster of {@code masters} masters (no replicas), every slot covered, state ok. */
    public static Cluster cluster(int masters) {
        Path dir = directory("dukan-redis-cluster");
        List<Server> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < masters; i++) {
                Path nodeDir = dir.resolve("node" + i);
                nodes.add(Server.start(nodeDir, true, null, List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", nodeDir.resolve("nodes.conf").toString(),
                        "--cluster-node-timeout", "5000")));
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            nodes.forEach(node -> create.add(node.address()));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            cli(create);
            await("cluster state ok on every node").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> nodes.stream().allMatch(node -> node.cli("CLUSTER", "INFO").contains("cluster_state:ok")));
            return new Cluster(nodes);
        }
        catch (RuntimeException e) {
            nodes.forEach(Server::kill);
            throw e;
        }
    }

    /**
     * A master, one replica in sync with it, and one Sentinel watching them under
     * {@link Sentinel#MASTER_NAME}; the Sentinel knows the replica, so a failover can promote it.
     */
    public static Sentinel sentinel() {
        Path dir = directory("dukan-redis-sentinel");
        List<Server> servers = new ArrayList<>();
        try {
            Server master = Server.start(dir.resolve("a"), false, null, List.of());
            servers.add(master);
            Server replica = Server.start(dir.resolve("b"), false, null,
                    List.of("--replicaof", "127.0.0.1", String.valueOf(master.port())));
            servers.add(replica);
            await("replica in sync").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> replica.cli("INFO", "replication").contains("master_link_status:up"));
            Path sentinelDir = dir.resolve("sentinel");
            createDirectories(sentinelDir);
            // Sentinel needs a file of its own, which it rewrites as it learns.
            Path conf = sentinelDir.resolve("sentinel.conf");
            write(conf, String.join("\n",
                    "sentinel monitor " + Sentinel.MASTER_NAME + " 127.0.0.1 " + master.port() + " 1",
                    "sentinel down-after-milliseconds " + Sentinel.MASTER_NAME + " 3000",
                    "sentinel failover-timeout " + Sentinel.MASTER_NAME + " 10000",
                    "sentinel parallel-syncs " + Sentinel.MASTER_NAME + " 1", ""));
            Server sentinel = Server.start(sentinelDir, false, conf, List.of("--sentinel"));
            servers.add(sentinel);
            await("sentinel knows the replica").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> sentinel.cli("SENTINEL", "REPLICAS", Sentinel.MASTER_NAME)
                            .contains(String.valueOf(replica.port())));
            return new Sentinel(master, replica, sentinel);
        }
        catch (RuntimeException e) {
            servers.forEach(Server::kill);
            throw e;
        }
    }

    /** A Redis Cluster on loopback. */
    public static final class Cluster implements AutoCloseable {

        private final List<Server> nodes;

        private Cluster(List<Server> nodes) {
            this.nodes = List.copyOf(nodes);
        }

        /** {@code spring.data.redis.cluster.nodes}: every node, host:port, comma-separated. */
        public String nodes() {
            return nodes.stream().map(Server::address).collect(Collectors.joining(","));
        }

        /** Runs a command on the node that owns {@code key}'s slot ({@code redis-cli -c}); its answer. */
        public String onKey(String key, String... command) {
            List<String> args = new ArrayList<>(List.of("-c", "-p", String.valueOf(nodes.get(0).port())));
            args.addAll(List.of(command));
            return cli(args);
        }

        /** The keys matching {@code pattern} on every node, with the port of the node that holds each. */
        public List<String> keys(String pattern) {
            List<String> found = new ArrayList<>();
            for (Server node : nodes) {
                for (String key : node.cli("--scan", "--pattern", pattern).lines().filter(l -> !l.isBlank()).toList()) {
                    found.add(node.port() + " " + key);
                }
            }
            return found;
        }

        @Override
        public void close() {
            nodes.forEach(Server::kill);
        }
    }

    /** A master, a replica and a Sentinel on loopback. */
    public static final class Sentinel implements AutoCloseable {

        public static final String MASTER_NAME = "dukan";

        private final Server first;
        private final Server second;
        private final Server sentinel;

        private Sentinel(Server first, Server second, Server sentinel) {
            this.first = first;
            this.second = second;
            this.sentinel = sentinel;
        }

        /** {@code spring.data.redis.sentinel.nodes}. */
        public String nodes() {
            return sentinel.address();
        }

        /** The port of the server the Sentinel calls master now. */
        public int masterPort() {
            String[] address = sentinel.cli("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME).strip().split("\\s+");
            return Integer.parseInt(address[1]);
        }

        /**
         * {@code SENTINEL FAILOVER}: the replica becomes master and the old master its replica, as
         * a real failover does (Sentinel disconnects the old master's clients). Returns once the
         * Sentinel names the new master and that server says it is one.
         */
        public int failover() {
            int before = masterPort();
            Server promoted = before == first.port() ? second : first;
            String answer = sentinel.cli("SENTINEL", "FAILOVER", MASTER_NAME);
            if (!answer.contains("OK")) {
                throw new IllegalStateException("SENTINEL FAILOVER answered: " + answer);
            }
            await("the replica promoted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> masterPort() == promoted.port() && promoted.cli("ROLE").startsWith("master"));
            return promoted.port();
        }

        /** Runs a command on the current master; its answer. */
        public String onMaster(String... command) {
            Server master = masterPort() == first.port() ? first : second;
            return master.cli(command);
        }

        @Override
        public void close() {
            sentinel.kill();
            first.kill();
            second.kill();
        }
    }

    /** One redis-server process on 127.0.0.1, without persistence. */
    private record Server(Process process, int port, Path dir) {

        /**
         * Starts one on a free port below 55536 (a cluster node's bus port is its port + 10000);
         * another process may take the port first, so a server that does not answer is replaced.
         */
        static Server start(Path dir, boolean clusterBus, Path configFile, List<String> extra) {
            requireBinaries();
            createDirectories(dir);
            for (int attempt = 0; ; attempt++) {
                int port = freePort(clusterBus);
                List<String> command = new ArrayList<>();
                command.add(BIN.resolve("redis-server").toString());
                if (configFile != null) {
                    // A configuration file must be the first argument.
                    command.add(configFile.toString());
                }
                command.addAll(List.of("--port", String.valueOf(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                        "--save", "", "--appendonly", "no", "--protected-mode", "no"));
                command.addAll(extra);
                Process process = launch(command, dir.resolve("redis-" + port + ".log"));
                Server server = new Server(process, port, dir);
                if (server.answers(Duration.ofSeconds(10))) {
                    return server;
                }
                server.kill();
                if (attempt == 4) {
                    throw new IllegalStateException("redis-server did not start (see " + dir + "): "
                            + String.join(" ", command));
                }
            }
        }

        String address() {
            return "127.0.0.1:" + port;
        }

        String cli(String... command) {
            List<String> args = new ArrayList<>(List.of("-p", String.valueOf(port)));
            args.addAll(List.of(command));
            return RedisTopologies.cli(args);
        }

        private boolean answers(Duration within) {
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline && process.isAlive()) {
                try {
                    if (cli("PING").contains("PONG")) {
                        return true;
                    }
                    Thread.sleep(50);
                }
                catch (IllegalStateException e) {
                    // not listening yet
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }

        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.remove(process);
        }
    }

    private static void requireBinaries() {
        for (String binary : List.of("redis-server", "redis-cli")) {
            if (!Files.isExecutable(BIN.resolve(binary))) {
                throw new IllegalStateException(BIN.resolve(binary) + " is missing: the Redis Cluster and Sentinel tests "
                        + "run real Redis servers. Install Debian's redis-server package (apt-get install redis-server; "
                        + ".ci/run does) or point -Ddukan.test.redis-bin at a directory that has both.");
            }
        }
    }

    /** {@code redis-cli} with these arguments; its standard output, or an exception with what it said. */
    private static String cli(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(BIN.resolve("redis-cli").toString());
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0
                    || output.startsWith("Could not connect")) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    private static Process launch(List<String> command, Path log) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            running.add(process);
            return process;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port free now on loopback, below 55536, and (for a cluster node) its bus port too. */
    private static int freePort(boolean clusterBus) {
        for (int tries = 0; tries < 1000; tries++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 45_000);
            if (free(port) && (!clusterBus || free(port + 10_000))) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair found on 127.0.0.1");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }

    private static Path directory(String prefix) {
        return TestDirectories.create(prefix);
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
