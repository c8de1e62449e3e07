package com.onlinedukan.acknowledgement;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.onlinedukan.notification.NotificationListener;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The durable record of who took which order ({@code order_acknowledgement}) and of the bot's
 * update offset, with one named statement per transition. Every transition is a conditional
 * UPDATE on the stage it leaves, so whichever instance or press comes second changes nothing.
 */
@Component
class AcknowledgementLedger {

    /**
     * A row's message text as read: its own (rows written before V19, and '' until the delivery of an
     * order taken first is recorded), else its message's in {@code staff_message}.
     */
    private static final String TEXT = """
            COALESCE(message_html, (SELECT m.html FROM staff_message m
                                     WHERE m.chat_id = order_acknowledgement.chat_id
                                       AND m.message_id = order_acknowledgement.message_id)) AS message_text""";

    /** Rows as every read returns them: all columns and their message text. */
    private static final String ROWS = "SELECT *, " + TEXT + " FROM order_acknowledgement ";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    AcknowledgementLedger(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** One order's row as a press, an edit or an escalation needs it. */
    record Row(UUID eventId, UUID orderId, String chatId, long messageId, int position, String html, Stage stage,
            Instant committedAt, Instant deliveredAt, Instant takenAt, Long takenById, String takenByName) {
    }

    /**
     * The message that carries these notifications now waits to be taken: WAITING, the first step
     * due {@code within} from now. A notification sent again (an SRE's replay) points at its new
     * message unless it was taken already.
     */
    void waiting(NotificationListener.DeliveredMessage message, Duration within) {
        // One statement for the whole message, not one per order: a digest carries up to fifty, and
        // this runs inside the transaction that records them DELIVERED. A message never carries a
        // notification twice (ON CONFLICT could not touch one row twice in a statement); should one
        // come twice, its first place counts.
        Map<UUID, Map<String, Object>> rows = new LinkedHashMap<>();
        int position = 0;
        for (NotificationListener.Carried carried : message.notifications()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("event_id", carried.eventId().toString());
            row.put("order_id", carried.orderId().toString());
            row.put("position", position++);
            row.put("committed_at", carried.committedAt().toString());
            rows.putIfAbsent(carried.eventId(), row);
        }
        if (rows.isEmpty()) {
            return;
        }
        // The text once per message; each order's row points at it (message_html NULL).
        jdbc.sql("""
                INSERT INTO staff_message (chat_id, message_id, html) VALUES (:chatId, :messageId, :html)
                ON CONFLICT (chat_id, message_id) DO UPDATE SET html = EXCLUDED.html
                """)
                .param("chatId", message.chatId())
                .param("messageId", message.messageId())
                .param("html", message.html())
                .update();
        jdbc.sql("""
                INSERT INTO order_acknowledgement (event_id, order_id, chat_id, message_id, message_html, position,
                                                   committed_at, stage, next_step_at)
                SELECT r.event_id, r.order_id, :chatId, :messageId, NULL, r.position, r.committed_at, 'WAITING',
                       now() + make_interval(secs => :within)
                  FROM jsonb_to_recordset(CAST(:rows AS jsonb))
                       AS r(event_id uuid, order_id uuid, position smallint, committed_at timestamptz)
                ON CONFLICT (event_id) DO UPDATE
                   SET chat_id = EXCLUDED.chat_id, message_id = EXCLUDED.message_id,
                       message_html = EXCLUDED.message_html, position = EXCLUDED.position
                 WHERE order_acknowledgement.stage <> 'TAKEN' OR order_acknowledgement.message_html = ''
                """)
                .param("chatId", message.chatId())
                .param("messageId", message.messageId())
                .param("within", within.toMillis() / 1000.0)
                .param("rows", json.writeValueAsString(rows.values()))
                .update();
    }

    /** First press wins: TAKEN by this user, unless it was taken already; the row as taken, or empty. */
    Optional<Row> take(UUID eventId, long userId, String userName) {
        return jdbc.sql("""
                UPDATE order_acknowledgement
                   SET stage = 'TAKEN', taken_at = now(), taken_by_id = :userId, taken_by_name = :userName,
                       next_step_at = NULL
                 WHERE event_id = :eventId AND stage <> 'TAKEN'
                RETURNING *, %s
                """.formatted(TEXT))
                .param("eventId", eventId)
                .param("userId", userId)
                .param("userName", userName)
                .query(AcknowledgementLedger::row)
                .optional();
    }

    /**
     * A press that came before the DELIVERED commit (Telegram answered, the ledger had not recorded
     * it yet): the order is taken now, on a row the delivery fills in when it commits (its text is
     * empty until then, so the message is edited once it is there). Empty when the row appeared meanwhile.
     */
    Optional<Row> takeBeforeRecorded(UUID eventId, UUID orderId, Instant committedAt, String chatId, long messageId,
            long userId, String userName) {
        return jdbc.sql("""
                INSERT INTO order_acknowledgement (event_id, order_id, chat_id, message_id, message_html, committed_at,
                                                   stage, taken_at, taken_by_id, taken_by_name)
                VALUES (:eventId, :orderId, :chatId, :messageId, '', :committedAt, 'TAKEN', now(), :userId, :userName)
                ON CONFLICT (event_id) DO NOTHING
                RETURNING *, %s
                """.formatted(TEXT))
                .param("eventId", eventId)
                .param("orderId", orderId)
                .param("chatId", chatId)
                .param("messageId", messageId)
                .param("committedAt", Timestamp.from(committedAt))
                .param("userId", userId)
                .param("userName", userName)
                .query(AcknowledgementLedger::row)
                .optional();
    }

    Optional<Row> find(UUID eventId) {
        return jdbc.sql(ROWS + "WHERE event_id = :eventId")
                .param("eventId", eventId).query(AcknowledgementLedger::row).optional();
    }

    /** Every order one message carries, in the message's order. */
    List<Row> message(String chatId, long messageId) {
        return jdbc.sql(ROWS + "WHERE chat_id = :chatId AND message_id = :messageId "
                + "ORDER BY position, event_id")
                .param("chatId", chatId).param("messageId", messageId).query(AcknowledgementLedger::row).list();
    }

    /** The message shows that these were taken. */
    void edited(Collection<UUID> eventIds) {
        if (!eventIds.isEmpty()) {
            jdbc.sql("UPDATE order_acknowledgement SET edited = true WHERE event_id IN (:ids) AND stage = 'TAKEN'")
                    .param("ids", eventIds).update();
        }
    }

    /**
     * A taken order whose message does not show it yet (the edit waited for the chat's budget),
     * oldest first; only once the press's own edit has had {@code OWED_AFTER} to go, so the sweep
     * and the press do not both edit the message.
     */
    Optional<Row> owedEdit() {
        return jdbc.sql(ROWS + """
                 WHERE stage = 'TAKEN' AND NOT edited AND taken_at < now() - make_interval(secs => :after)
                 ORDER BY taken_at LIMIT 1
                """).param("after", OWED_AFTER.toSeconds()).query(AcknowledgementLedger::row).optional();
    }

    /** How long a press's own edit has before the sweep makes it instead. */
    static final Duration OWED_AFTER = Duration.ofSeconds(10);

    /**
     * Claims the next escalation step that is due: WAITING → REMINDED (the next step one period
     * on), REMINDED → ESCALATED (no step after). The row comes back with the stage it moved to.
     */
    Optional<Row> claimStep(Duration within) {
        return jdbc.sql("""
                UPDATE order_acknowledgement
                   SET stage = CASE stage WHEN 'WAITING' THEN 'REMINDED' ELSE 'ESCALATED' END,
                       next_step_at = CASE stage WHEN 'WAITING' THEN now() + make_interval(secs => :within) END
                 WHERE event_id = (SELECT event_id FROM order_acknowledgement
                                    WHERE stage IN ('WAITING', 'REMINDED') AND next_step_at <= now()
                                    ORDER BY next_step_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING *, %s
                """.formatted(TEXT))
                .param("within", within.toMillis() / 1000.0)
                .query(AcknowledgementLedger::row)
                .optional();
    }

    /** The step's message could not go now: it is due again in {@code retryIn}, unless the order was taken meanwhile. */
    void stepNotSent(UUID eventId, Stage claimed, Duration retryIn) {
        jdbc.sql("""
                UPDATE order_acknowledgement
                   SET stage = :previous, next_step_at = now() + make_interval(secs => :retry)
                 WHERE event_id = :eventId AND stage = :claimed
                """)
                .param("previous", claimed.previous().name())
                .param("retry", Math.max(1, retryIn.toMillis()) / 1000.0)
                .param("eventId", eventId)
                .param("claimed", claimed.name())
                .update();
    }

    /** Orders not taken yet, by stage. */
    Map<Stage, Long> waitingByStage() {
        Map<Stage, Long> counts = new java.util.EnumMap<>(Stage.class);
        for (Stage stage : Stage.values()) {
            if (stage != Stage.TAKEN) {
                counts.put(stage, 0L);
            }
        }
        jdbc.sql("SELECT stage, count(*) AS n FROM order_acknowledgement WHERE stage <> 'TAKEN' GROUP BY stage")
                .query((rs, row) -> counts.put(Stage.valueOf(rs.getString("stage")), rs.getLong("n"))).list();
        return counts;
    }

    /** Orders not taken yet, oldest first. */
    List<Row> waitingOldestFirst(int limit) {
        return jdbc.sql(ROWS + "WHERE stage <> 'TAKEN' ORDER BY delivered_at LIMIT :limit")
                .param("limit", limit).query(AcknowledgementLedger::row).list();
    }

    /** Orders taken, the latest first. */
    List<Row> takenLatestFirst(int limit) {
        return jdbc.sql(ROWS + "WHERE stage = 'TAKEN' ORDER BY taken_at DESC LIMIT :limit")
                .param("limit", limit).query(AcknowledgementLedger::row).list();
    }

    List<Row> ofEvents(Collection<UUID> eventIds) {
        if (eventIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(ROWS + "WHERE event_id IN (:ids)")
                .param("ids", eventIds).query(AcknowledgementLedger::row).list();
    }

    /** The order's latest notification's acknowledgement. */
    Optional<Row> ofOrder(UUID orderId) {
        return jdbc.sql(ROWS + "WHERE order_id = :orderId ORDER BY delivered_at DESC LIMIT 1")
                .param("orderId", orderId).query(AcknowledgementLedger::row).optional();
    }

    /** Where a walk over settled rows has got to: the last row seen, by delivery time then event id. */
    record Settled(UUID eventId, Instant deliveredAt) {

        static final Settled START = new Settled(new UUID(0, 0), Instant.EPOCH);
    }

    /**
     * Rows delivered before {@code before} that nothing is left to do for (escalated, or taken and
     * the message shows it), after {@code after}, oldest first. The predicate is the one of
     * {@link #purgeSettled} and of the partial index {@code order_acknowledgement_settled} (V18).
     */
    List<Settled> settledBefore(Instant before, Settled after, int limit) {
        return jdbc.sql("""
                SELECT event_id, delivered_at FROM order_acknowledgement
                 WHERE (stage = 'ESCALATED' OR (stage = 'TAKEN' AND edited)) AND delivered_at < :before
                   AND (delivered_at, event_id) > (:afterAt, :afterId)
                 ORDER BY delivered_at, event_id LIMIT :limit
                """)
                .param("before", Timestamp.from(before))
                .param("afterAt", Timestamp.from(after.deliveredAt()))
                .param("afterId", after.eventId())
                .param("limit", limit)
                .query((rs, row) -> new Settled(rs.getObject("event_id", UUID.class), instant(rs, "delivered_at")))
                .list();
    }

    /**
     * Deletes these rows, each only if it is still settled and delivered before {@code before}, and
     * the text of each message none of whose orders is left.
     */
    int purgeSettled(Collection<UUID> eventIds, Instant before) {
        if (eventIds.isEmpty()) {
            return 0;
        }
        List<Map<String, Object>> messages = jdbc.sql("""
                DELETE FROM order_acknowledgement
                 WHERE event_id IN (:ids) AND (stage = 'ESCALATED' OR (stage = 'TAKEN' AND edited))
                   AND delivered_at < :before
                RETURNING chat_id, message_id
                """)
                .param("ids", eventIds)
                .param("before", Timestamp.from(before))
                .query().listOfRows();
        if (!messages.isEmpty()) {
            // A second statement: one with the DELETE above in it would not see the rows it deleted gone.
            List<Object[]> keys = messages.stream().map(m -> List.of(m.get("chat_id"), m.get("message_id"))).distinct()
                    .map(List::toArray).toList();
            jdbc.sql("""
                    DELETE FROM staff_message m
                     WHERE (m.chat_id, m.message_id) IN (:keys)
                       AND NOT EXISTS (SELECT 1 FROM order_acknowledgement a
                                        WHERE a.chat_id = m.chat_id AND a.message_id = m.message_id)
                    """)
                    .param("keys", keys)
                    .update();
        }
        return messages.size();
    }

    /** The first update id not yet applied for this bot (0: none applied yet, Telegram's oldest comes first). */
    long offset(String botId) {
        return jdbc.sql("SELECT next_id FROM telegram_update_offset WHERE bot_id = :botId")
                .param("botId", botId).query(Long.class).optional().orElse(0L);
    }

    /** Updates before {@code nextId} are applied; never moves back. */
    void applied(String botId, long nextId) {
        jdbc.sql("""
                INSERT INTO telegram_update_offset (bot_id, next_id) VALUES (:botId, :nextId)
                ON CONFLICT (bot_id) DO UPDATE SET next_id = GREATEST(telegram_update_offset.next_id, EXCLUDED.next_id),
                                                   updated_at = now()
                """)
                .param("botId", botId).param("nextId", nextId).update();
    }

    /** Records the update as applied, in the caller's transaction; false when it was applied before. */
    boolean firstTime(String botId, long updateId) {
        return jdbc.sql("""
                INSERT INTO telegram_update (bot_id, update_id) VALUES (:botId, :updateId) ON CONFLICT DO NOTHING
                """).param("botId", botId).param("updateId", updateId).update() == 1;
    }

    /** Forgets applied updates older than Telegram keeps them. */
    int forgetUpdatesBefore(Instant before) {
        return jdbc.sql("DELETE FROM telegram_update WHERE applied_at < :before")
                .param("before", Timestamp.from(before)).update();
    }

    private static Row row(ResultSet rs, int row) throws SQLException {
        long id = rs.getLong("taken_by_id");
        Long takenById = rs.wasNull() ? null : id;
        return new Row(rs.getObject("event_id", UUID.class), rs.getObject("order_id", UUID.class),
                rs.getString("chat_id"), rs.getLong("message_id"), rs.getInt("position"), rs.getString("message_text"),
                Stage.valueOf(rs.getString("stage")), instant(rs, "committed_at"), instant(rs, "delivered_at"),
                instant(rs, "taken_at"), takenById, rs.getString("taken_by_name"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
