package com.onlinedukan.outbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.onlinedukan.cluster.Leadership;
import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.DukanTestContext.TestDatabase;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Instances;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * <b>No outbox row is deleted before every consumer has accounted for it, and rows every consumer
 * accounted for and older than the retention are deleted.</b> A row goes exactly when it is older
 * than {@code outbox-retention} by the database's clock and written by a transaction below the
 * watermark of every registered consumer ({@link OutboxConsumers}); a consumer that registered and
 * never reported holds every row.
 * <p>
 * Proved on two instances of the service on one database: real rows in PostgreSQL, written by real
 * transactions that commit out of the order of their ids, of random ages around the retention, with
 * three consumers (the notifier as the service registered it, one whose watermark lags and goes back,
 * one that registers and stays silent), watermarks drawn at random among and between the rows'
 * transaction ids; the retention run by the leader's schedule, refused by the standby's, and run by
 * both instances at the same moment. After each run every row is checked against the rule.
 */
@Tag("full-stack")
class OutboxRetentionTests {

    static final Duration RETENTION = Duration.ofHours(1);
    static final String[] ARGS = { "--server.port=0", "--dukan.relay.leadership-check-interval=500ms",
            // Only the test reports watermarks: the reconciler does not run a round during it.
            "--dukan.reconciler.interval=1h", "--dukan.reconciler.outbox-retention=" + RETENTION.toSeconds() + "s" };

    @RegisterExtension
    final Instances instances = new Instances(ARGS);
    final FakeBotApi telegram = instances.alongside(FakeBotApi.start());

    /** A row of the outbox as the test wrote it. */
    record Row(UUID id, long txid, boolean pastRetention) {
    }

    @Test
    void noRowIsDeletedBeforeEveryConsumerAccountedForItAndEveryRowAllAccountedForPastRetentionIsDeleted()
            throws Exception {
        ConfigurableApplicationContext a = instances.start(DukanTestContext.firstOf(telegram));
        TestDatabase database = a.getBean(TestDatabase.class);
        ConfigurableApplicationContext b = instances.start(DukanTestContext.sharing(database, telegram));
        await().atMost(Duration.ofSeconds(30)).until(() -> leads(a) ^ leads(b));
        ConfigurableApplicationContext leader = leads(a) ? a : b;
        ConfigurableApplicationContext standby = leader == a ? b : a;
        OutboxConsumers consumers = a.getBean(OutboxConsumers.class);
        assertThat(consumers.watermarks()).as("the notifier registers itself").containsKey("notification");
        consumers.register("silent");

        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<Row> live = new ArrayList<>();
        int deleted = 0;
        for (int round = 0; round < 4; round++) {
            live.addAll(writeOutOfOrder(leader, random, 5, 4));
            List<Long> txids = live.stream().map(Row::txid).sorted().toList();

            consumers.checkedBelow("notification", drawnAmong(txids, random));
            consumers.checkedBelow("lagging", drawnAmong(txids, random));
            assertThat(standby.getBean(OutboxRetention.class).purgeOnLeader())
                    .as("seed %d: the standby purges nothing, only the leader does", seed).isZero();
            if (round == 0) {
                // The silent consumer holds every row, however far the others have come.
                consumers.checkedBelow("notification", Long.MAX_VALUE);
                consumers.checkedBelow("lagging", Long.MAX_VALUE);
                leader.getBean(OutboxRetention.class).purgeOnLeader();
                assertThat(present(leader, live)).as("seed %d: rows a silent consumer holds", seed).hasSize(live.size());
                consumers.checkedBelow("silent", drawnAmong(txids, random));
                consumers.checkedBelow("notification", drawnAmong(txids, random));
                consumers.checkedBelow("lagging", drawnAmong(txids, random));
                leader.getBean(OutboxRetention.class).purgeOnLeader();
            }
            else if (round % 2 == 1) {
                leader.getBean(OutboxRetention.class).purgeOnLeader();
            }
            else {
                // Two instances at the same moment (a deposed leader's last round beside its successor's).
                CompletableFuture<Integer> one = CompletableFuture.supplyAsync(a.getBean(OutboxRetention.class)::purge);
                CompletableFuture<Integer> two = CompletableFuture.supplyAsync(b.getBean(OutboxRetention.class)::purge);
                one.get();
                two.get();
            }
            Set<UUID> present = assertTheRuleHolds(leader, consumers.watermarks(), live, seed, round);
            deleted += live.size() - present.size();
            live.removeIf(row -> !present.contains(row.id()));
        }
        // Last, every consumer accounts for everything: each row past the retention goes, each younger one
        // stays. (The draws alone may keep everything: a silent consumer's watermark drawn below every row.)
        for (String consumer : consumers.watermarks().keySet()) {
            consumers.checkedBelow(consumer, Long.MAX_VALUE);
        }
        leader.getBean(OutboxRetention.class).purgeOnLeader();
        Set<UUID> present = assertTheRuleHolds(leader, consumers.watermarks(), live, seed, 4);
        deleted += live.size() - present.size();
        assertThat(deleted).as("seed %d: rows deleted over the rounds", seed).isPositive();
        assertThat(present).as("seed %d: rows younger than the retention, kept", seed).isNotEmpty();
    }

    /** Checks every row still expected against the rule; returns those present. */
    private static Set<UUID> assertTheRuleHolds(ConfigurableApplicationContext instance,
            Map<String, OptionalLong> marks, List<Row> rows, long seed, int round) {
        long lowest = marks.values().stream()
                .mapToLong(mark -> mark.orElse(Long.MIN_VALUE)).min().orElse(Long.MIN_VALUE);
        Set<UUID> present = present(instance, rows);
        List<UUID> deletedTooEarly = new ArrayList<>();
        List<UUID> keptTooLong = new ArrayList<>();
        for (Row row : rows) {
            boolean due = row.pastRetention() && row.txid() < lowest;
            if (!due && !present.contains(row.id())) {
                deletedTooEarly.add(row.id());
            }
            if (due && present.contains(row.id())) {
                keptTooLong.add(row.id());
            }
        }
        assertThat(deletedTooEarly).as("seed %d round %d, watermarks %s: rows deleted that a consumer had not "
                + "accounted for or younger than the retention", seed, round, marks).isEmpty();
        assertThat(keptTooLong).as("seed %d round %d, watermarks %s: rows every consumer accounted for, past the "
                + "retention, still kept", seed, round, marks).isEmpty();
        return present;
    }

    /** A watermark below, between, at or above the rows' transaction ids. */
    private static long drawnAmong(List<Long> txids, Random random) {
        long txid = txids.get(random.nextInt(txids.size()));
        return txid + random.nextInt(3) - 1;
    }

    /**
     * {@code groups} times, {@code perGroup} transactions open at once, each writing one to three rows
     * of ages drawn around the retention, then committed in shuffled order: a later transaction id
     * often commits first.
     */
    private static List<Row> writeOutOfOrder(ConfigurableApplicationContext instance, Random random, int groups,
            int perGroup) throws SQLException {
        JdbcConnectionDetails details = instance.getBean(JdbcConnectionDetails.class);
        List<Row> rows = new ArrayList<>();
        for (int group = 0; group < groups; group++) {
            List<Connection> open = new ArrayList<>();
            try {
                for (int t = 0; t < perGroup; t++) {
                    Connection connection = DriverManager.getConnection(details.getJdbcUrl(), details.getUsername(),
                            details.getPassword());
                    open.add(connection);
                    connection.setAutoCommit(false);
                    int count = 1 + random.nextInt(3);
                    for (int i = 0; i < count; i++) {
                        rows.add(insert(connection, random));
                    }
                }
                Collections.shuffle(open, random);
                for (Connection connection : open) {
                    connection.commit();
                }
            }
            finally {
                for (Connection connection : open) {
                    connection.close();
                }
            }
        }
        return rows;
    }

    /** One row written by this transaction, past the retention by up to ten days or inside it. */
    private static Row insert(Connection connection, Random random) throws SQLException {
        boolean past = random.nextBoolean();
        long ageSeconds = past ? RETENTION.toSeconds() + 60 + random.nextInt(10 * 24 * 3600)
                : random.nextInt((int) RETENTION.toSeconds() - 300);
        UUID id = UUID.randomUUID();
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, created_at)
                VALUES (?, 'probe', ?, 'ProbeWritten', '{}'::jsonb, now() - make_interval(secs => ?))
                RETURNING txid
                """)) {
            insert.setObject(1, id);
            insert.setString(2, id.toString());
            insert.setDouble(3, ageSeconds);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return new Row(id, rs.getLong(1), past);
            }
        }
    }

    private static Set<UUID> present(ConfigurableApplicationContext instance, List<Row> rows) {
        Map<UUID, Row> byId = new HashMap<>();
        rows.forEach(row -> byId.put(row.id(), row));
        return new HashSet<>(instance.getBean(JdbcClient.class).sql("SELECT id FROM outbox WHERE id IN (:ids)")
                .param("ids", byId.keySet()).query(UUID.class).list());
    }

    private static boolean leads(ConfigurableApplicationContext instance) {
        return instance.getBean(Leadership.class).isLeader();
    }
}
