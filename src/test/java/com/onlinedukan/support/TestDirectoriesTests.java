package com.onlinedukan.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: a test run leaves no server directory behind, however it ended. The next run removes a
 * directory whose owner process was killed (a real process, killed) or whose process id now names
 * another process; it keeps one whose owner lives, one still being made, and anything not its own.
 */
class TestDirectoriesTests {

    @TempDir
    Path parent;

    @Test
    void theNextRunRemovesWhatAKilledRunLeftAndNothingElse() throws Exception {
        Process killed = new ProcessBuilder("sleep", "60").start();
        String killedOwner = TestDirectories.owner(killed.toHandle());
        killed.destroyForcibly().waitFor();
        ProcessHandle self = ProcessHandle.current();

        Path leftByKilled = owned("dukan-x-1", killedOwner);
        Files.createDirectories(leftByKilled.resolve("postgres/base/1"));
        Files.write(leftByKilled.resolve("postgres/base/1/16384"), new byte[64 * 1024]);
        Path idReused = owned("dukan-x-2", self.pid() + " 1");
        Path alive = owned("dukan-x-3", TestDirectories.owner(self));
        Path beingMade = Files.createDirectory(parent.resolve("dukan-x-4"));
        Path unownedOld = Files.createDirectory(parent.resolve("dukan-x-5"));
        Files.setLastModifiedTime(unownedOld, FileTime.from(Instant.now().minus(TestDirectories.UNOWNED_GRACE).minusSeconds(60)));
        Path notOurs = owned("someone-else-6", killedOwner);

        assertThat(TestDirectories.sweep(parent, "dukan-x-")).isEqualTo(3);

        assertThat(leftByKilled).doesNotExist();
        assertThat(idReused).doesNotExist();
        assertThat(unownedOld).doesNotExist();
        assertThat(alive).isDirectory();
        assertThat(beingMade).isDirectory();
        assertThat(notOurs).isDirectory();
    }

    private Path owned(String name, String owner) throws Exception {
        Path directory = Files.createDirectory(parent.resolve(name));
        Files.writeString(directory.resolve(TestDirectories.OWNER), owner);
        return directory;
    }
}
