package com.onlinedukan.infrastructure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.DukanTestContext.TestDatabase;
import com.onlinedukan.support.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A test context runs on the test servers, reached through connection details, and the
 * service's embedded default steps aside by itself — not only because the build turns it off:
 * this context sees it unset and a home of its own with a sentinel file, and after the context
 * started that home holds the sentinel and nothing else. The test JVM's embedded servers keep
 * their files in a temporary directory, never in a {@code .onlinedukan}.
 */
@DukanTest
class TestsLeaveTheDevelopersDataAloneTests {

    static final Path home = temporaryHome();

    @DynamicPropertySource
    static void unsetEmbeddingAndAHomeOfItsOwn(DynamicPropertyRegistry properties) {
        properties.add("dukan.embedded.enabled", () -> "");
        properties.add("user.home", home::toString);
    }

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestDatabase database;

    @Test
    void aTestContextRunsOnTheTestServersAndCreatesNothingInTheHomeItSees() throws IOException {
        assertThat(context.getBeansOfType(LocalPostgres.class)).isEmpty();
        assertThat(context.getBeansOfType(LocalRedis.class)).isEmpty();
        assertThat(context.getBean(JdbcConnectionDetails.class).getJdbcUrl())
                .startsWith(TestServers.get().jdbcUrl(database.name()));
        assertThat(jdbc.sql("SELECT current_database()").query(String.class).single()).isEqualTo(database.name());
        try (Stream<Path> files = Files.list(home)) {
            assertThat(files).containsExactly(home.resolve("sentinel"));
        }
    }

    @Test
    void theTestJvmsEmbeddedServersKeepTheirFilesInATemporaryDirectory() throws IOException {
        TestServers servers = TestServers.get();
        assumeThat(servers.dataDirectory()).as("embedded servers (no Docker)").isPresent();
        Path files = servers.dataDirectory().get().toRealPath();
        assertThat(files).startsWith(Path.of(System.getProperty("java.io.tmpdir")).toRealPath());
        assertThat(files.toString()).doesNotContain(".onlinedukan");
        assertThat(Path.of(jdbc.sql("SHOW data_directory").query(String.class).single()).toRealPath())
                .startsWith(files);
    }

    @AfterAll
    static void removeHome() throws IOException {
        FileSystemUtils.deleteRecursively(home);
    }

    private static Path temporaryHome() {
        try {
            Path home = Files.createTempDirectory("dukan-test-home");
            Files.writeString(home.resolve("sentinel"), "a developer's home");
            return home;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
