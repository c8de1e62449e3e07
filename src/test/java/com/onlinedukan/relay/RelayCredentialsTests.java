package com.onlinedukan.relay;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Instances;
import com.onlinedukan.support.OpsClient;
import com.onlinedukan.support.TestServers;
import io.debezium.embedded.EmbeddedWorkerConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Invariants: the relay runs with whatever credentials the service's datasource runs with, a server
 * that asks for no password included (trust, peer or certificate authentication); and the database
 * password reaches no log and no error, however the relay's start fails.
 */
@Tag("full-stack")
@ExtendWith(OutputCaptureExtension.class)
class RelayCredentialsTests {

    static final String SECRET = "TEST-db-password-never-logged";

    @RegisterExtension
    final Instances instances = new Instances("--server.port=0");

    @Test
    void aServerThatAsksForNoPasswordHasItsOrdersRelayedToTelegram() throws Exception {
        // Debezium's offset store refused to start without a password; the relay restarted every 5 s,
        // for ever, and orders waited for the reconciler.
        TestServers servers = TestServers.get();
        assumeThat(takesNoPassword(servers)).as("this PostgreSQL asks for a password (a container's does)").isTrue();
        FakeBotApi telegram = instances.alongside(FakeBotApi.start());
        ConfigurableApplicationContext service = instances.start(DukanTestContext.firstOf(telegram).withPassword(""));
        OutboxRelay relay = service.getBean(OutboxRelay.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.state() == RelayState.RUNNING);

        List<String> placed = Instances.place(service, "No password asked", 3);

        telegram.awaitEachAcceptedOnce(placed, Duration.ofSeconds(30));
        assertThat(relay.lastError()).isEmpty();
    }

    @Test
    void aLoginGivenInTheUrlAloneReachesTheRelayAndNoLogOrOpsViewShowsItsPassword(CapturedOutput output)
            throws Exception {
        // SPRING_DATASOURCE_URL=jdbc:postgresql://host/db?user=...&password=... and nothing else: the
        // datasource connected, but the relay's engine got no user, refused to start every 5 s for
        // ever, and orders waited for the reconciler. The login now reaches the engine; its password
        // must still show nowhere.
        TestServers servers = TestServers.get();
        String role = "dukan_url_login_" + ProcessHandle.current().pid();
        try (Connection admin = servers.connect("postgres")) {
            admin.createStatement().execute("DROP ROLE IF EXISTS " + role);
            admin.createStatement().execute("CREATE ROLE " + role + " LOGIN SUPERUSER PASSWORD '" + SECRET + "'");
        }
        FakeBotApi telegram = instances.alongside(FakeBotApi.start());
        ConfigurableApplicationContext service = instances.start(
                DukanTestContext.firstOf(telegram).withLoginInUrl(role, SECRET));
        OutboxRelay relay = service.getBean(OutboxRelay.class);

        List<String> placed = Instances.place(service, "Login in the URL", 3);

        telegram.awaitEachAcceptedOnce(placed, Duration.ofSeconds(30));
        assertThat(relay.state()).isEqualTo(RelayState.RUNNING);
        int port = ((WebServerApplicationContext) service).getWebServer().getPort();
        OpsClient ops = new OpsClient(port);
        assertThat(ops.call("GET", "/api/ops/pipeline", null).raw().body()).doesNotContain(SECRET);
        assertThat(ops.call("GET", "/actuator/health", null).raw().body()).doesNotContain(SECRET);
        assertThat(output.getAll()).doesNotContain(SECRET);
    }

    @Test
    void anOffsetStoreThatRefusesItsSettingsSaysWhyWithoutThePassword() {
        // Debezium's own store puts every setting of the engine into its message when it refuses one
        // (seen with an empty password: the URL, user and password settings all in the log).
        Properties props = ConnectorConfig.of(details("jdbc:postgresql://127.0.0.1:5432/dukan", SECRET),
                new RelayProperties(true, null, null, Duration.ofSeconds(1), Duration.ofSeconds(10),
                        Duration.ofMillis(10), DataSize.ofGigabytes(1), Duration.ofSeconds(5)),
                "dukan_outbox_dukan", "dukan_outbox_dukan", false, false);
        Map<String, String> config = new HashMap<>();
        props.stringPropertyNames().forEach(name -> config.put(name, props.getProperty(name)));
        config.put("offset.storage.jdbc.connection.user", "");
        RelayOffsetStore store = new RelayOffsetStore();

        assertThatThrownBy(() -> store.configure(new EmbeddedWorkerConfig(config)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("offset store could not start")
                .hasMessageContaining("offset.storage.")
                .satisfies(error -> {
                    for (Throwable t = error; t != null; t = t.getCause()) {
                        assertThat(t.toString()).doesNotContain(SECRET);
                    }
                });
    }

    private static boolean takesNoPassword(TestServers servers) {
        try (var connection = DriverManager.getConnection(servers.jdbcUrl("postgres"), servers.user(), "")) {
            return connection.isValid(5);
        }
        catch (SQLException e) {
            return false;
        }
    }

    private static JdbcConnectionDetails details(String url, String password) {
        return new JdbcConnectionDetails() {
            @Override
            public String getJdbcUrl() {
                return url;
            }

            @Override
            public String getUsername() {
                return "postgres";
            }

            @Override
            public String getPassword() {
                return password;
            }
        };
    }
}
