package com.onlinedukan.telegram;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The staff chat's state in PostgreSQL ({@code telegram_chat}), so every instance and every restart
 * sees the same: the chat id messages go to now and a {@code retry_after} pause. Times are the
 * database's, so instances with drifting clocks still agree on when a pause ends.
 */
class StaffChat {

    private final JdbcClient jdbc;
    private final String configured;
    private final Duration longestWait;

    /**
     * @param longestWait the longest a pause holds from when it was set ({@code dukan.telegram.max-retry-after}),
     *     also for a pause stored before that bound existed, or under a larger one
     */
    StaffChat(JdbcClient jdbc, String configuredChatId, Duration longestWait) {
        this.jdbc = jdbc;
        this.configured = configuredChatId;
        this.longestWait = longestWait;
    }

    /**
     * What a send needs to know, as of now.
     *
     * @param chatId where messages go (the configured chat unless Telegram moved it)
     * @param pausedUntil the end of a {@code retry_after} pause in force, or null
     * @param pausedFor how much of that pause is left (zero when none)
     */
    record State(String chatId, Instant pausedUntil, Duration pausedFor) {

        boolean migrated(String configured) {
            return !chatId.equals(configured);
        }
    }

    String configured() {
        return configured;
    }

    /** One primary-key lookup. */
    State read() {
        return jdbc.sql("""
                SELECT current_chat_id, paused_until,
                       GREATEST(0, CEIL(EXTRACT(EPOCH FROM (paused_until - clock_timestamp())) * 1000))::bigint AS paused_ms
                FROM (SELECT current_chat_id,
                             -- LEAST passes over a NULL: no pause stays none.
                             CASE WHEN paused_until IS NOT NULL
                                  THEN LEAST(paused_until, updated_at + :longestMs * interval '1 millisecond') END AS paused_until
                        FROM telegram_chat WHERE configured_chat_id = :configured) chat""")
                .param("configured", configured)
                .param("longestMs", longestWait.toMillis())
                .query((rs, row) -> {
                    Duration left = Duration.ofMillis(rs.getLong("paused_ms"));
                    Instant until = left.isZero() ? null : toInstant(rs.getTimestamp("paused_until"));
                    return new State(rs.getString("current_chat_id"), until, left);
                })
                .optional()
                .orElseGet(() -> new State(configured, null, Duration.ZERO));
    }

    /** Telegram said to wait: nothing goes to the chat before now + {@code wait} (a longer pause stands). */
    void pause(Duration wait) {
        jdbc.sql("""
                INSERT INTO telegram_chat (configured_chat_id, current_chat_id, paused_until, updated_at)
                VALUES (:configured, :configured, clock_timestamp() + :ms * interval '1 millisecond', now())
                ON CONFLICT (configured_chat_id) DO UPDATE
                SET paused_until = GREATEST(telegram_chat.paused_until, EXCLUDED.paused_until), updated_at = now()""")
                .param("configured", configured)
                .param("ms", wait.toMillis())
                .update();
    }

    /** The chat lives on under another id: every instance sends there from now on. */
    void moveTo(String chatId) {
        jdbc.sql("""
                INSERT INTO telegram_chat (configured_chat_id, current_chat_id, updated_at)
                VALUES (:configured, :current, now())
                ON CONFLICT (configured_chat_id) DO UPDATE
                SET current_chat_id = EXCLUDED.current_chat_id, updated_at = now()""")
                .param("configured", configured)
                .param("current", chatId)
                .update();
    }

    private static Instant toInstant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
