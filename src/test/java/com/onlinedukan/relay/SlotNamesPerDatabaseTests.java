package com.onlinedukan.relay;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.onlinedukan.OnlineDukanApplication;
import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.DukanTestContext.TestDatabase;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Orders;
import com.onlinedukan.support.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replication slot names are global to a PostgreSQL cluster: the default names carry the
 * database's name, so two services on two databases of one cluster never share a slot, and a
 * slot under the old default is kept by the database it belongs to.
 */
@Tag("full-stack")
class SlotNamesPerDatabaseTests {

    final List<ConfigurableApplicationContext> instances = new ArrayList<>();
    final List<FakeBotApi> telegrams = new ArrayList<>();
    final List<String> slots = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        instances.forEach(ConfigurableApplicationContext::close);
        telegrams.forEach(FakeBotApi::close);
        slots.forEach(TestServers.get()::dropSlot);
    }

    @Test
    void twoDatabasesOnOneClusterWithDefaultNamesEachRelayTheirOwnOrders() {
        FakeBotApi telegramA = telegram();
        FakeBotApi telegramB = telegram();
        ConfigurableApplicationContext a = start(DukanTestContext.firstOf(telegramA).withDefaultRelayNames());
        ConfigurableApplicationContext b = start(DukanTestContext.firstOf(telegramB).withDefaultRelayNames());
        String slotA = a.getBean(RelayNames.class).slot();
        String slotB = b.getBean(RelayNames.class).slot();
        slots.add(slotA);
        slots.add(slotB);
        assertThat(slotA).isEqualTo("dukan_outbox_" + a.getBean(TestDatabase.class).name());
        assertThat(slotB).isEqualTo("dukan_outbox_" + b.getBean(TestDatabase.class).name());
        assertThat(a.getBean(RelayNames.class).publication()).isEqualTo(slotA);

        await().atMost(Duration.ofSeconds(30)).until(() -> running(a) && running(b));
        List<String> viaA = place(a, "Shop A", 3);
        List<String> viaB = place(b, "Shop B", 3);

        telegramA.awaitEachAcceptedOnce(viaA, Duration.ofSeconds(60));
        telegramB.awaitEachAcceptedOnce(viaB, Duration.ofSeconds(60));
        assertThat(viaB).allMatch(id -> telegramA.acceptedMentioning(id).isEmpty());
        assertThat(viaA).allMatch(id -> telegramB.acceptedMentioning(id).isEmpty());
    }

    @Test
    void aSlotUnderTheOldDefaultNameOnThisDatabaseIsKeptAndOtherDatabasesGetTheirOwn() throws SQLException {
        TestServers servers = TestServers.get();
        String legacyDb = "dukan_legacy_" + ProcessHandle.current().pid();
        String otherDb = "dukan_other_" + ProcessHandle.current().pid();
        servers.createDatabase(legacyDb);
        servers.createDatabase(otherDb);
        try (Connection connection = servers.connect(legacyDb); var create = connection.createStatement()) {
            create.execute("SELECT pg_create_logical_replication_slot('" + RelayNames.LEGACY + "', 'pgoutput')");
        }
        slots.add(RelayNames.LEGACY);

        assertThat(names(legacyDb).slot()).isEqualTo(RelayNames.LEGACY);
        assertThat(names(legacyDb).publication()).isEqualTo(RelayNames.LEGACY);
        assertThat(names(otherDb).slot()).isEqualTo("dukan_outbox_" + otherDb);
    }

    @Test
    void defaultNamesAreValidSlotNamesWhateverTheDatabaseIsCalled() {
        assertThat(RelayNames.forDatabase("Shop-DB.2")).isEqualTo("dukan_outbox_shop_db_2");
        String longName = RelayNames.forDatabase("a".repeat(63));
        assertThat(longName).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9_]+");
        assertThat(RelayNames.forDatabase("a".repeat(62) + "b")).isNotEqualTo(longName);
    }

    private static RelayNames names(String database) {
        TestServers servers = TestServers.get();
        JdbcClient jdbc = JdbcClient.create(
                new DriverManagerDataSource(servers.jdbcUrl(database), servers.user(), servers.password()));
        RelayProperties defaults = new RelayProperties(true, null, null, Duration.ofSeconds(1),
                Duration.ofSeconds(10), Duration.ofMillis(50), DataSize.ofGigabytes(1), Duration.ofSeconds(5));
        return new RelayNames(defaults, jdbc);
    }

    private FakeBotApi telegram() {
        FakeBotApi telegram = FakeBotApi.start();
        telegrams.add(telegram);
        return telegram;
    }

    private static boolean running(ConfigurableApplicationContext instance) {
        return instance.getBean(RelayMonitor.class).status().state() == RelayState.RUNNING;
    }

    private ConfigurableApplicationContext start(DukanTestContext context) {
        ConfigurableApplicationContext instance = new SpringApplicationBuilder(OnlineDukanApplication.class)
                .initializers(context)
                .run("--server.port=0", "--dukan.reconciler.grace=2s", "--dukan.reconciler.interval=1s");
        instances.add(instance);
        return instance;
    }

    private static List<String> place(ConfigurableApplicationContext instance, String name, int count) {
        return new Orders(((WebServerApplicationContext) instance).getWebServer().getPort()).placeMany(name, count);
    }
}
