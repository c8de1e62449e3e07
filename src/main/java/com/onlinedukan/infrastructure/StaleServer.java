package com.onlinedukan.infrastructure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A service killed with SIGKILL leaves its embedded PostgreSQL and Redis running on their data
 * directories: the next start would fail on PostgreSQL's lock, and leak a Redis. Stop such an
 * orphan, found by its pid file, before starting a new server there.
 */
final class StaleServer {

    private StaleServer() {
    }

    static void stopIfRunning(Path pidFile, String executable) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String firstLine = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
        if (!firstLine.matches("\\d+")) {
            return;
        }
        ProcessHandle.of(Long.parseLong(firstLine))
                .filter(process -> process.info().command().map(c -> c.contains(executable)).orElse(false))
                .ifPresent(StaleServer::stop);
    }

    private static void stop(ProcessHandle server) {
        server.destroy();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (server.isAlive() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
