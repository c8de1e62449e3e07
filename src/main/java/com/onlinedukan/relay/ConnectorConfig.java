package com.onlinedukan.relay;

import java.util.Arrays;
import java.util.Properties;
import java.util.stream.Collectors;

import com.onlinedukan.outbox.Outbox;
import org.postgresql.Driver;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * The Debezium engine's configuration, derived from the connection details the service's own
 * datasource uses (configured, a test's container, or the embedded default), so there is one place
 * to say where PostgreSQL is.
 */
final class ConnectorConfig {

    static final String ENGINE_NAME = "dukan-outbox-relay";
    static final String TOPIC_PREFIX = "dukan";
    static final String OUTBOX_TOPIC = TOPIC_PREFIX + ".public." + Outbox.TABLE;
    static final String HEARTBEAT_TABLE = "relay_heartbeat";
    static final String OFFSET_TABLE = "relay_offset";
    /** The offset store's password when the datasource has none: sent only if the server asks for one. */
    static final String NOT_ASKED = "no-password-configured";

    private ConnectorConfig() {
    }

    /**
     * @param trustSlot start from the slot's position although the stored offset is older: only right
     *     after {@link ReplicationSlots#recoverLostPosition()} accepted (and announced) that loss.
     *     Otherwise such a mismatch stops the engine, so that no loss passes unannounced.
     */
    static Properties of(JdbcConnectionDetails datasource, RelayProperties relay, String slot, String publication,
            boolean failoverSlot, boolean trustSlot) {
        Properties url = Driver.parseURL(datasource.getJdbcUrl(), null);
        if (url == null) {
            throw new IllegalStateException("The relay needs a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db)");
        }
        // Credentials may come in the URL alone (?user=...&password=...): the engine gets them as
        // settings of their own, and a URL without them, so no setting it shows or logs holds them.
        String user = firstOf(datasource.getUsername(), url.getProperty("user"), System.getProperty("user.name"));
        String password = firstOf(datasource.getPassword(), url.getProperty("password"), "");
        String jdbcUrl = withoutCredentials(datasource.getJdbcUrl());
        Properties props = new Properties();
        props.setProperty("name", ENGINE_NAME);
        props.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");

        // Offsets live in PostgreSQL next to the data they describe, and are committed at most
        // once per flush interval, and only for records the relay marked processed (after XADD).
        // Debezium's JDBC store, whose failure to connect does not repeat the engine's settings (RelayOffsetStore).
        props.setProperty("offset.storage", RelayOffsetStore.class.getName());
        props.setProperty("offset.storage.jdbc.connection.url", jdbcUrl);
        props.setProperty("offset.storage.jdbc.connection.user", user);
        // Debezium's store refuses to start without a password, although PostgreSQL may ask for none
        // (trust, peer or certificate authentication): then it gets one it is never asked for.
        props.setProperty(RelayOffsetStore.PASSWORD, password.isEmpty() ? NOT_ASKED : password);
        props.setProperty("offset.storage.jdbc.table.name", OFFSET_TABLE);
        props.setProperty("offset.flush.interval.ms", Long.toString(relay.offsetFlushInterval().toMillis()));
        // An offset write that cannot reach PostgreSQL is tried 3 times 1 s apart (Debezium: 5 times 3 s). A flush
        // that fails is simply made again later (the offset only ever trails what Redis has); the long retries
        // held the engine's stop for 15 to 25 s whenever PostgreSQL was out of reach.
        props.setProperty("offset.storage.jdbc.connection.wait.retry.delay.ms", "1000");
        props.setProperty("offset.storage.jdbc.connection.retry.max.attempts", "3");

        props.setProperty("database.hostname", url.getProperty("PGHOST").split(",")[0]);
        props.setProperty("database.port", url.getProperty("PGPORT").split(",")[0]);
        props.setProperty("database.dbname", url.getProperty("PGDBNAME"));
        props.setProperty("database.user", user);
        props.setProperty("database.password", password);
        props.setProperty("topic.prefix", TOPIC_PREFIX);
        // Debezium names its JMX beans after the topic prefix alone; naming the slot too keeps relays
        // of different databases in one JVM from waiting a minute for each other's names.
        props.setProperty("custom.metric.tags", "slot=" + slot);

        props.setProperty("plugin.name", "pgoutput");
        props.setProperty("slot.name", slot);
        // On PostgreSQL 17+ a new slot is created for failover, so a standby configured with
        // sync_replication_slots keeps it and the relay resumes there after a promotion.
        props.setProperty("slot.failover", Boolean.toString(failoverSlot));
        // Dropping the slot on stop would silently lose every event committed while we are down.
        props.setProperty("slot.drop.on.stop", "false");
        // Debezium's default (no_validation) fails when the slot no longer has the stored position,
        // which sends the relay back to ReplicationSlots; trust_greater_lsn then moves the offset to
        // the slot (or the slot to a newer offset) instead of failing.
        props.setProperty("offset.mismatch.strategy", trustSlot ? "trust_greater_lsn" : "no_validation");
        props.setProperty("publication.name", publication);
        props.setProperty("publication.autocreate.mode", "filtered");
        props.setProperty("table.include.list", "public." + Outbox.TABLE + ",public." + HEARTBEAT_TABLE);
        // First start (no offsets yet): read the rows already in the outbox, then stream. Repeats
        // of delivered events are dropped by the delivery ledger.
        props.setProperty("snapshot.mode", "initial");

        // The heartbeat writes a published table, so the slot's confirmed LSN keeps advancing
        // while the outbox is idle and other tables (or databases) fill the WAL.
        props.setProperty("heartbeat.interval.ms", Long.toString(relay.heartbeatInterval().toMillis()));
        props.setProperty("heartbeat.action.query",
                "UPDATE " + HEARTBEAT_TABLE + " SET beat_at = now() WHERE id = 1");

        props.setProperty("poll.interval.ms", Long.toString(relay.pollInterval().toMillis()));
        props.setProperty("max.batch.size", "512");
        // Debezium's queue, less the busy wait at the end of every poll (RelayQueue).
        props.setProperty("queue.provider.type", RelayQueue.NAME);
        props.setProperty("tombstones.on.delete", "false");
        props.setProperty("decimal.handling.mode", "string");
        // A few quick retries inside the engine; a fault that outlasts them stops it, so the relay
        // shows FAILED (the relay health component DOWN) and OutboxRelay restarts it from its offset. Unlimited
        // retries would hide a broken relay behind a RUNNING state.
        props.setProperty("errors.max.retries", "2");
        props.setProperty("errors.retry.delay.initial.ms", "300");
        props.setProperty("errors.retry.delay.max.ms", "2000");
        props.setProperty("retriable.restart.connector.wait.ms", "2000");
        // A slot held by another connection is retried inside the engine 5 times, 2 s apart (Debezium's
        // default is 6 times 10 s). The one expected holder, a previous leader's walsender, is terminated when
        // the lease is taken (ReplicationSlots); a slot that stays unusable longer is a fault the relay's
        // restarts and crash-loop count report within seconds rather than after a minute in RUNNING.
        props.setProperty("slot.max.retries", "5");
        props.setProperty("slot.retry.delay.ms", "2000");
        return props;
    }

    /** The first value given (null and empty count as not given), else the last. */
    private static String firstOf(String... values) {
        for (String value : values) {
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return values[values.length - 1];
    }

    /** The JDBC URL without its {@code user} and {@code password} parameters. */
    static String withoutCredentials(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        if (query < 0) {
            return jdbcUrl;
        }
        String kept = Arrays.stream(jdbcUrl.substring(query + 1).split("&"))
                .filter(parameter -> !parameter.isEmpty() && !parameter.startsWith("user=")
                        && !parameter.startsWith("password="))
                .collect(Collectors.joining("&"));
        return jdbcUrl.substring(0, query) + (kept.isEmpty() ? "" : "?" + kept);
    }
}
