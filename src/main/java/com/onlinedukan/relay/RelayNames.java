package com.onlinedukan.relay;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The replication slot and publication this service's relay uses. Slot names are global to a
 * PostgreSQL cluster, so two databases on one cluster would fight over one default name: unless
 * configured, the slot is {@code dukan_outbox_<database>}. A slot left under the old default
 * {@code dukan_outbox} for this database is kept (its position is the relay's), not orphaned.
 */
@Component
class RelayNames {

    static final String LEGACY = "dukan_outbox";
    private static final int MAX_NAME = 63;
    private static final Logger log = LoggerFactory.getLogger(RelayNames.class);

    private final RelayProperties properties;
    private final JdbcClient jdbc;
    private volatile Names resolved;

    RelayNames(RelayProperties properties, JdbcClient jdbc) {
        this.properties = properties;
        this.jdbc = jdbc;
    }

    String slot() {
        return names().slot();
    }

    String publication() {
        return names().publication();
    }

    /** Resolved on first use, when the database is up, not while the context starts. */
    private Names names() {
        Names names = resolved;
        if (names == null) {
            synchronized (this) {
                if (resolved == null) {
                    resolved = resolve();
                }
                names = resolved;
            }
        }
        return names;
    }

    private Names resolve() {
        String slot = properties.slotName();
        if (slot == null) {
            boolean legacyHere = jdbc.sql("""
                    SELECT count(*) FROM pg_replication_slots WHERE slot_name = :slot AND database = current_database()
                    """).param("slot", LEGACY).query(Long.class).single() > 0;
            if (legacyHere) {
                slot = LEGACY;
                log.info("Keeping the replication slot '{}' this database already has (the old default name); "
                        + "set dukan.relay.slot-name to choose another", LEGACY);
            }
            else {
                slot = forDatabase(jdbc.sql("SELECT current_database()").query(String.class).single());
            }
        }
        String publication = properties.publicationName() != null ? properties.publicationName()
                : properties.slotName() == null && LEGACY.equals(slot) ? LEGACY : slot;
        return new Names(slot, publication);
    }

    /**
     * {@code dukan_outbox_<database>}, lower case, [a-z0-9_] only, at most 63 characters; a name
     * cut short ends with a hash of the whole database name, so two long names stay apart.
     */
    static String forDatabase(String database) {
        String name = LEGACY + "_" + database.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (name.length() <= MAX_NAME) {
            return name;
        }
        String hash = String.format("%08x", database.hashCode());
        return name.substring(0, MAX_NAME - hash.length() - 1) + "_" + hash;
    }

    private record Names(String slot, String publication) {
    }
}
