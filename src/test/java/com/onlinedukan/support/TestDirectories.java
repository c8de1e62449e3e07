package com.onlinedukan.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.springframework.util.FileSystemUtils;

/**
 * Temporary directories of the test servers, each naming the process that owns it, and the sweep
 * that removes those whose process has ended. A test JVM is ended 3 s after its last test (pom.xml,
 * {@code forkedProcessExitTimeoutInSeconds}), often before its shutdown hooks delete anything, and
 * an embedded PostgreSQL's data directory is about a gigabyte after a full verify: left behind by
 * every run, they filled this machine's disk. So every new directory first removes its predecessors
 * whose owner is gone, however their run ended.
 */
public final class TestDirectories {

    static final String OWNER = ".owner";
    /** A directory that names no owner yet is being made; one older than this never will. */
    static final Duration UNOWNED_GRACE = Duration.ofMinutes(10);

    private TestDirectories() {
    }

    /** A new directory in the temporary directory, named {@code prefix} and a number, owned by this process. */
    public static Path create(String prefix) {
        try {
            Path parent = Path.of(System.getProperty("java.io.tmpdir"));
            sweep(parent, prefix);
            Path directory = Files.createTempDirectory(parent, prefix);
            Files.writeString(directory.resolve(OWNER), owner(ProcessHandle.current()));
            return directory;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the directories {@code prefix}* in {@code parent} whose owner has ended; returns how many. */
    static int sweep(Path parent, String prefix) throws IOException {
        int swept = 0;
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path candidate : candidates) {
                if (Files.isDirectory(candidate) && ended(candidate)) {
                    FileSystemUtils.deleteRecursively(candidate);
                    swept++;
                }
            }
        }
        return swept;
    }

    private static boolean ended(Path directory) throws IOException {
        Path owner = directory.resolve(OWNER);
        if (!Files.exists(owner)) {
            return Files.getLastModifiedTime(directory).toInstant().isBefore(Instant.now().minus(UNOWNED_GRACE));
        }
        String[] parts = Files.readString(owner).trim().split(" ");
        long pid = Long.parseLong(parts[0]);
        String started = parts.length > 1 ? parts[1] : "";
        return ProcessHandle.of(pid).map(process -> !owner(process).equals(pid + " " + started)).orElse(true);
    }

    /** A process by its id and start: an id the system gave again to a later process is not the owner. */
    static String owner(ProcessHandle process) {
        Optional<Instant> started = process.info().startInstant();
        return process.pid() + " " + started.map(Instant::toEpochMilli).map(String::valueOf).orElse("?");
    }
}
