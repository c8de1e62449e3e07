package com.onlinedukan.relay;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.onlinedukan.outbox.EventTrace;
import com.onlinedukan.outbox.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the relay asks PostgreSQL about its slot before starting the engine: whether a walsender
 * left behind by a previous leader still holds it, whether the slot still has the position the
 * stored offset names (and a fresh slot when it does not), and whether the server can keep the
 * slot across a failover to a standby (PostgreSQL 17+). And the publication the slot is read
 * through, which publishes only the outbox columns a stream entry carries ({@link #preparePublication}).
 */
@Component
class ReplicationSlots {

    private static final Logger log = LoggerFactory.getLogger(ReplicationSlots.class);
    private static final int FAILOVER_SLOTS_SINCE = 170000;
    private static final int COLUMN_LISTS_SINCE = 150000;
    /**
     * What a stream entry carries of an outbox row ({@link OutboxRelay#outboxInsert}): all of it but
     * {@code created_at} and {@code txid}, which are the outbox's own (its retention, the reconciler).
     * {@code id} is also the replica identity, which a column list must hold for the outbox's DELETEs.
     */
    static final List<String> PUBLISHED_OUTBOX_COLUMNS = List.of("id", "aggregatetype", "aggregateid", "type",
            "payload", EventTrace.COLUMN);

    private final JdbcClient jdbc;
    private final RelayNames names;
    private final JsonMapper json;
    private final Clock clock;
    private volatile Integer announcedPid;

    ReplicationSlots(JdbcClient jdbc, RelayNames names, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.names = names;
        this.json = json;
        this.clock = clock;
    }

    /** PostgreSQL 17+ can synchronize a slot created for failover to its standbys. */
    boolean failoverSupported() {
        return serverVersion() >= FAILOVER_SLOTS_SINCE;
    }

    private int serverVersion() {
        return jdbc.sql("SELECT current_setting('server_version_num')::int").query(Integer.class).single();
    }

    /**
     * Makes the relay's publication publish the outbox's rows without {@code created_at} and
     * {@code txid} (PostgreSQL 15+ column lists), and the heartbeat table: creates it, or narrows one
     * that publishes whole rows (as Debezium creates it, and as earlier versions of this service
     * left it). Debezium's {@code filtered} mode then finds the tables it wants and leaves the
     * publication as it is. pgoutput sends less, and the engine decodes no timestamp per event: that
     * decoding took over a quarter of its coordinator thread's CPU samples under load. On an older server, or a
     * publication of all tables, Debezium decides as before. Changes decoded after the narrowing
     * commits are read through it; a stream entry carries the same fields either way.
     */
    void preparePublication() {
        if (serverVersion() < COLUMN_LISTS_SINCE) {
            return;
        }
        String publication = names.publication();
        Optional<Boolean> allTables = jdbc.sql("SELECT puballtables FROM pg_publication WHERE pubname = :name")
                .param("name", publication).query(Boolean.class).optional();
        String tables = "public." + Outbox.TABLE + " (" + String.join(", ", PUBLISHED_OUTBOX_COLUMNS) + "), public."
                + ConnectorConfig.HEARTBEAT_TABLE;
        if (allTables.isEmpty()) {
            jdbc.sql("CREATE PUBLICATION \"" + publication + "\" FOR TABLE " + tables).update();
            log.info("Created publication '{}': {}", publication, tables);
            return;
        }
        if (allTables.get() || publishes(publication).equals(Set.copyOf(PUBLISHED_OUTBOX_COLUMNS))) {
            return;
        }
        jdbc.sql("ALTER PUBLICATION \"" + publication + "\" SET TABLE " + tables).update();
        log.info("Publication '{}' now publishes {}", publication, tables);
    }

    /** The outbox columns {@code publication} publishes (none: the outbox is not in it). */
    Set<String> publishes(String publication) {
        return jdbc.sql("""
                SELECT a FROM pg_publication_tables t, unnest(t.attnames) AS a
                 WHERE t.pubname = :name AND t.schemaname = 'public' AND t.tablename = :table
                """).param("name", publication).param("table", Outbox.TABLE).query(String.class).set();
    }

    /**
     * Whether the slot is free for this instance's engine. Call only while holding the lease: a
     * walsender still on our slot then belongs to a leader whose lease ran out, which stopped its
     * relay by its own clock, or whose machine is gone. PostgreSQL would end it only after
     * {@code wal_sender_timeout}; we end it now (the same database role may), and the engine
     * starts at the next check. If that is refused, we wait for PostgreSQL, saying so.
     */
    boolean freeForLeader() {
        Optional<Integer> holder = jdbc.sql("""
                SELECT active_pid FROM pg_replication_slots
                 WHERE slot_name = :slot AND database = current_database() AND active_pid IS NOT NULL
                """).param("slot", names.slot()).query(Integer.class).optional();
        if (holder.isEmpty()) {
            announcedPid = null;
            return true;
        }
        int pid = holder.get();
        try {
            jdbc.sql("SELECT pg_terminate_backend(:pid)").param("pid", pid).query(Boolean.class).single();
            log.warn("Replication slot '{}' was still held by walsender PID {}, left by a previous relay leader; "
                    + "ended it, starting the relay at the next check", names.slot(), pid);
        }
        catch (DataAccessException e) {
            if (!Integer.valueOf(pid).equals(announcedPid)) {
                log.warn("Waiting for replication slot '{}': walsender PID {} of a previous relay leader still holds "
                        + "it and could not be ended ({}); PostgreSQL ends it after wal_sender_timeout",
                        names.slot(), pid, e.getMessage());
            }
        }
        announcedPid = pid;
        return false;
    }

    /**
     * Whether PostgreSQL has invalidated the slot (its {@code wal_status} is {@code lost}): the WAL it
     * still needed was removed, past {@code max_slot_wal_keep_size}, and no engine can stream from it
     * again. Under a running engine Debezium does not fail on such a slot: it waits for it to become
     * valid, 900 times 2 s, and for those 30 minutes nothing is relayed. False when it cannot be read.
     */
    boolean invalidated() {
        try {
            return jdbc.sql("""
                    SELECT wal_status = 'lost' FROM pg_replication_slots
                     WHERE slot_name = :slot AND database = current_database()
                    """).param("slot", names.slot()).query(Boolean.class).optional().orElse(false);
        }
        catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Call on the leader before each start of the engine, with no engine running. Whether the slot
     * still has the position the stored offset names: it does not when the slot is gone (dropped by a
     * DBA, lost in a failover before PostgreSQL 17), invalidated (WAL removed under it), or confirmed
     * beyond the stored position (recreated later by hand, or advanced): the server can no longer
     * stream what lies between. A missing or invalidated slot is created anew under the same name; the
     * loss is returned, to be announced, and the engine must then start from the slot's position
     * ({@link ConnectorConfig}'s {@code trustSlot}). Without a stored offset (the first start) nothing
     * can be lost: Debezium creates the slot and snapshots the outbox.
     */
    Optional<SlotRecreated> recoverLostPosition() {
        Optional<Long> stored = storedPosition();
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        String lostFrom = lsn(stored.get());
        Optional<SlotRow> slot = slot(lostFrom);
        String newFrom;
        String what;
        if (slot.isEmpty() || slot.get().invalidated()) {
            if (slot.isPresent()) {
                jdbc.sql("SELECT 1 FROM pg_drop_replication_slot(:slot)").param("slot", names.slot())
                        .query(Integer.class).single();
            }
            newFrom = create();
            what = slot.isEmpty() ? "was missing" : "was invalidated (its WAL is gone)";
        }
        else if (slot.get().confirmedAhead()) {
            newFrom = slot.get().confirmedFlush();
            what = "starts after it (confirmed flush " + newFrom + ", restart " + slot.get().restart() + ")";
        }
        else {
            return Optional.empty();
        }
        log.warn("Replication slot '{}' {}: the relay's stored offset is at LSN {}, which the server no longer has; "
                + "streaming from LSN {} now, and the events committed in between are taken from the outbox",
                names.slot(), what, lostFrom, newFrom);
        return Optional.of(new SlotRecreated(names.slot(), lostFrom, newFrom, clock.instant()));
    }

    /**
     * The LSN Debezium confirms to the server for the stored offset: the last transaction's commit
     * (or, before one, the last event processed); empty before the first offset commit.
     */
    private Optional<Long> storedPosition() {
        return jdbc.sql("SELECT offset_val FROM " + ConnectorConfig.OFFSET_TABLE
                + " ORDER BY record_insert_ts DESC, record_insert_seq DESC LIMIT 1")
                .query(String.class).optional()
                .map(json::readTree)
                .flatMap(offset -> first(offset, "lsn_commit", "lsn_proc", "lsn"));
    }

    private static Optional<Long> first(JsonNode offset, String... keys) {
        for (String key : keys) {
            JsonNode value = offset.get(key);
            if (value != null && value.isNumber()) {
                return Optional.of(value.asLong());
            }
        }
        return Optional.empty();
    }

    private Optional<SlotRow> slot(String stored) {
        return jdbc.sql("""
                SELECT restart_lsn::text AS restart, confirmed_flush_lsn::text AS confirmed,
                       restart_lsn IS NULL OR wal_status = 'lost' AS invalidated,
                       COALESCE(confirmed_flush_lsn > CAST(:stored AS pg_lsn), false) AS ahead
                  FROM pg_replication_slots WHERE slot_name = :slot AND database = current_database()
                """).param("slot", names.slot()).param("stored", stored)
                .query((rs, row) -> new SlotRow(rs.getString("restart"), rs.getString("confirmed"),
                        rs.getBoolean("invalidated"), rs.getBoolean("ahead")))
                .optional();
    }

    /** A new slot under the configured name, at the server's current position; returns that position. */
    private String create() {
        String sql = failoverSupported()
                ? "SELECT lsn::text FROM pg_create_logical_replication_slot(:slot, 'pgoutput', false, false, true)"
                : "SELECT lsn::text FROM pg_create_logical_replication_slot(:slot, 'pgoutput')";
        return jdbc.sql(sql).param("slot", names.slot()).query(String.class).single();
    }

    /** Debezium's LSN (a 64-bit number) as PostgreSQL writes it. */
    static String lsn(long value) {
        return String.format("%X/%X", value >>> 32, value & 0xFFFFFFFFL);
    }

    private record SlotRow(String restart, String confirmedFlush, boolean invalidated, boolean confirmedAhead) {
    }
}
