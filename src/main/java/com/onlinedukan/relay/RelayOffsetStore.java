package com.onlinedukan.relay;

import org.apache.kafka.connect.runtime.WorkerConfig;

import io.debezium.storage.jdbc.offset.JdbcOffsetBackingStore;

import org.springframework.core.NestedExceptionUtils;

/**
 * Debezium's JDBC offset store, failing without the engine's settings in its message. When it
 * refuses its settings (an empty user or password, say), Debezium's store throws "Failed to connect
 * JDBC offset backing store: " followed by every setting of the engine, the database password among
 * them; Debezium logs that message, and the relay shows it in its health and the ops pipeline view.
 * This store says what was wrong in Debezium's words, with the password replaced, and keeps no cause
 * that still holds it.
 */
public class RelayOffsetStore extends JdbcOffsetBackingStore {

    static final String PASSWORD = "offset.storage.jdbc.connection.password";

    @Override
    public void configure(WorkerConfig config) {
        try {
            super.configure(config);
        }
        catch (RuntimeException e) {
            String password = config.originalsStrings().get(PASSWORD);
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String reason = NestedExceptionUtils.getMostSpecificCause(cause).getMessage();
            if (mentions(cause, password)) {
                // No part of an exception that holds the password goes on: not even as a cause.
                throw new IllegalStateException("The relay's offset store could not start: "
                        + scrub(reason, password));
            }
            throw new IllegalStateException("The relay's offset store could not start: " + reason, cause);
        }
    }

    private static boolean mentions(Throwable error, String secret) {
        if (secret == null || secret.isEmpty()) {
            return false;
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(secret)) {
                return true;
            }
        }
        return false;
    }

    private static String scrub(String text, String secret) {
        return text == null ? null : text.replace(secret, "****");
    }
}
