package com.onlinedukan.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.onlinedukan.outbox.EventTrace;
import com.onlinedukan.outbox.OutboxEvent;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The durable record of every notification, keyed by the outbox event id, and the one place its
 * rows change. Only a PENDING or RETRYING row that is due and whose lease is free can be claimed;
 * every write after a claim names the claim's token, so a sender whose lease was taken over
 * changes nothing. Each transition is one statement for a whole batch.
 */
@Component
class DeliveryLedger {

    /**
     * Delivery is paused, as every claim reads it: in the claiming statement itself, so a pause that
     * has committed stops every later claim on every instance, whatever an instance's cache says.
     */
    private static final String PAUSED = "EXISTS (SELECT 1 FROM delivery_control WHERE paused)";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    /** How many times claims were given back untouched ({@link #release}): rows due again at once. */
    private final AtomicLong releases = new AtomicLong();

    DeliveryLedger(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Notifications claimed together for one send, under one token.
     *
     * @param trace the trace of the request that placed the order; null for an event written outside one
     */
    record Claim(UUID eventId, UUID orderId, String payload, int attempts, Instant firstFailedAt,
            Instant committedAt, UUID token, EventTrace trace, long claimedNanos) {

        /** How long ago, on this JVM's monotonic clock, the claim was made (a stopped process's pause included). */
        Duration age() {
            return Duration.ofNanos(System.nanoTime() - claimedNanos);
        }
    }

    /**
     * Records order events as PENDING, in one statement, unless the ledger knows them already.
     * The payload and the trace are the outbox's, never a copy from the way. Returns how many were new.
     */
    int register(List<OutboxEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        return jdbc.sql("""
                INSERT INTO notification (event_id, order_id, status, payload, event_committed_at, next_attempt_at,
                                          trace_context)
                SELECT r.event_id, r.order_id, 'PENDING', r.payload::jsonb, r.committed_at, now(), r.trace_context
                  FROM jsonb_to_recordset(CAST(:rows AS jsonb))
                       AS r(event_id uuid, order_id uuid, payload text, committed_at timestamptz, trace_context text)
                ON CONFLICT (event_id) DO NOTHING
                """)
                .param("rows", rows(events))
                .update();
    }

    /**
     * Records order events as {@link #register} does, and claims the new ones for {@code owner} in
     * the same statement: the claim a sender would make next, without a statement of its own. Like
     * every claim, it takes nothing while delivery is paused (a pause committed before the statement
     * leaves the new rows unclaimed). Returns the claims, in the events' order, and how many new
     * rows were left unclaimed.
     */
    Registered registerClaimed(List<OutboxEvent> events, String owner, Duration lease) {
        if (events.isEmpty()) {
            return new Registered(List.of(), 0);
        }
        // As in claim(): the claim's age counts from before its statement.
        long before = System.nanoTime();
        UUID token = UUID.randomUUID();
        Set<UUID> claimed = new HashSet<>();
        int[] unclaimed = { 0 };
        jdbc.sql("""
                INSERT INTO notification (event_id, order_id, status, payload, event_committed_at, next_attempt_at,
                                          trace_context, lease_owner, lease_token, lease_until)
                SELECT r.event_id, r.order_id, 'PENDING', r.payload::jsonb, r.committed_at, now(), r.trace_context,
                       CASE WHEN p.paused THEN NULL ELSE CAST(:owner AS varchar) END,
                       CASE WHEN p.paused THEN NULL ELSE CAST(:token AS uuid) END,
                       CASE WHEN p.paused THEN NULL ELSE now() + make_interval(secs => :leaseSeconds) END
                  FROM jsonb_to_recordset(CAST(:rows AS jsonb))
                       AS r(event_id uuid, order_id uuid, payload text, committed_at timestamptz, trace_context text)
                 CROSS JOIN (SELECT %s AS paused) p
                ON CONFLICT (event_id) DO NOTHING
                RETURNING event_id, lease_token IS NOT NULL AS claimed
                """.formatted(PAUSED))
                .param("rows", rows(events))
                .param("owner", owner)
                .param("token", token)
                .param("leaseSeconds", seconds(lease))
                .query((RowCallbackHandler) rs -> {
                    if (rs.getBoolean("claimed")) {
                        claimed.add(rs.getObject("event_id", UUID.class));
                    }
                    else {
                        unclaimed[0]++;
                    }
                });
        List<Claim> claims = new ArrayList<>(claimed.size());
        for (OutboxEvent event : events) {
            if (claimed.contains(event.id())) {
                claims.add(new Claim(event.id(), UUID.fromString(event.aggregateId()), event.payload(), 0, null,
                        event.createdAt(), token, event.trace(), before));
            }
        }
        return new Registered(claims, unclaimed[0]);
    }

    /** What {@link #registerClaimed} recorded: the new rows it claimed, and how many new rows it could not claim. */
    record Registered(List<Claim> claims, int unclaimed) {
    }

    private String rows(List<OutboxEvent> events) {
        List<Map<String, Object>> rows = new ArrayList<>(events.size());
        for (OutboxEvent event : events) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("event_id", event.id().toString());
            row.put("order_id", event.aggregateId());
            row.put("payload", event.payload());
            row.put("committed_at", event.createdAt().toString());
            row.put("trace_context", event.trace() == null ? null : event.trace().text());
            rows.add(row);
        }
        return json.writeValueAsString(rows);
    }

    /** Which of these event ids the ledger has. */
    List<UUID> known(java.util.Collection<UUID> eventIds) {
        if (eventIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT event_id FROM notification WHERE event_id = ANY (CAST(:ids AS uuid[]))")
                .param("ids", ids(eventIds)).query(UUID.class).list();
    }

    /** Claims up to {@code limit} notifications whose next attempt is due, oldest first, under a new token. */
    List<Claim> claimDue(String owner, Duration lease, int limit) {
        return claim(owner, lease, limit, "AND NOT " + PAUSED);
    }

    /**
     * Claims due notifications although delivery is paused: for a hand who must hold rows that no
     * dispatcher may take (the dispatcher's own claim checks the pause in the same statement, so a
     * pause that has committed stops every later claim on every instance, whatever its cache says).
     */
    List<Claim> claimDueWhilePaused(String owner, Duration lease, int limit) {
        return claim(owner, lease, limit, "");
    }

    private List<Claim> claim(String owner, Duration lease, int limit, String pauseGuard) {
        // The claim's age counts from before its statement, the wait for a pooled connection included:
        // the lease PostgreSQL grants starts later, so an age measured from here never understates it.
        // A lease is judged run out by the clock as it reads now (clock_timestamp()), not by now(), which
        // is when this transaction began: across a step back of the server's clock, a statement that began
        // before the step would otherwise judge a lease granted just after it as long run out.
        long before = System.nanoTime();
        return jdbc.sql("""
                UPDATE notification
                   SET lease_owner = :owner, lease_token = :token,
                       lease_until = now() + make_interval(secs => :leaseSeconds)
                 WHERE event_id IN (
                        SELECT event_id FROM notification
                         WHERE status IN ('PENDING', 'RETRYING')
                           AND next_attempt_at <= now()
                           AND (lease_until IS NULL OR lease_until < clock_timestamp())
                           %s
                         ORDER BY next_attempt_at
                         LIMIT :limit
                           FOR UPDATE SKIP LOCKED)
                RETURNING event_id, order_id, payload::text AS payload, attempts, first_failed_at,
                          event_committed_at, lease_token, trace_context
                """.formatted(pauseGuard))
                .param("owner", owner)
                .param("token", UUID.randomUUID())
                .param("leaseSeconds", seconds(lease))
                .param("limit", limit)
                .query((rs, row) -> claim(rs, before))
                .list();
    }

    private static Claim claim(ResultSet rs, long claimedNanos) throws SQLException {
        return new Claim(rs.getObject("event_id", UUID.class), rs.getObject("order_id", UUID.class),
                rs.getString("payload"), rs.getInt("attempts"), instant(rs, "first_failed_at"),
                rs.getTimestamp("event_committed_at").toInstant(), rs.getObject("lease_token", UUID.class),
                EventTrace.parse(rs.getString("trace_context")).orElse(null), claimedNanos);
    }

    /**
     * Telegram accepted the message that carried these: DELIVERED. Returns how many this claim still held.
     * The delivery is recorded in the row alone: the history shows it from there ({@code notification_history}),
     * and a replay writes it into {@code notification_attempt} before it moves the row on.
     */
    int delivered(List<Claim> claims, long messageId) {
        return transition(claims, """
                status = 'DELIVERED', attempts = attempts + 1, telegram_message_id = :messageId,
                delivered_at = now(), last_error = NULL, next_attempt_at = NULL, first_failed_at = NULL""",
                Map.of("messageId", messageId), AttemptOutcome.DELIVERED, null);
    }

    /**
     * A failed attempt: RETRYING after {@code delay}. A charged outcome spends an attempt and
     * starts the give-up clock; the others (outage, 429, refusal) leave both alone.
     */
    int retrying(List<Claim> claims, AttemptOutcome outcome, String error, Duration delay) {
        String charge = outcome.charged()
                ? "attempts = attempts + 1, first_failed_at = COALESCE(first_failed_at, now()),"
                : "";
        return transition(claims, """
                status = 'RETRYING', %s last_error = :error,
                next_attempt_at = now() + make_interval(secs => :delaySeconds)""".formatted(charge),
                Map.of("delaySeconds", seconds(delay)), outcome, error);
    }

    /** Given up: DEAD, kept with its history for a replay. */
    int dead(List<Claim> claims, AttemptOutcome outcome, String error) {
        return transition(claims, "status = 'DEAD', attempts = attempts + 1, next_attempt_at = NULL, last_error = :error",
                Map.of(), outcome, error);
    }

    /**
     * One statement: the rows this claim still holds move on and lose their lease, and each gets
     * an entry in its history, but for a delivery, which its row records ({@link #delivered}). A row
     * whose lease another sender took is left alone.
     */
    private int transition(List<Claim> claims, String set, Map<String, ?> params, AttemptOutcome outcome,
            String error) {
        if (claims.isEmpty()) {
            return 0;
        }
        Map<String, Object> all = new HashMap<>(params);
        all.put("ids", ids(claims.stream().map(Claim::eventId).toList()));
        all.put("token", claims.get(0).token());
        String move = """
                UPDATE notification
                   SET %s, lease_owner = NULL, lease_until = NULL, lease_token = NULL
                 WHERE event_id = ANY (CAST(:ids AS uuid[])) AND lease_token = :token""".formatted(set);
        if (outcome == AttemptOutcome.DELIVERED) {
            return jdbc.sql(move).params(all).update();
        }
        all.put("outcome", outcome.name());
        all.put("error", new SqlParameterValue(Types.VARCHAR, error));
        return jdbc.sql("""
                WITH moved AS (%s
                    RETURNING event_id)
                INSERT INTO notification_attempt (event_id, outcome, error)
                SELECT event_id, :outcome, :error FROM moved
                """.formatted(move))
                .params(all)
                .update();
    }

    /** Gives claims back untouched: nothing was attempted (no budget yet, a digest could not hold them). */
    int release(List<Claim> claims) {
        if (claims.isEmpty()) {
            return 0;
        }
        releases.incrementAndGet();
        return jdbc.sql("""
                UPDATE notification SET lease_owner = NULL, lease_until = NULL, lease_token = NULL
                 WHERE event_id = ANY (CAST(:ids AS uuid[])) AND lease_token = :token
                """)
                .param("ids", ids(claims.stream().map(Claim::eventId).toList()))
                .param("token", claims.get(0).token())
                .update();
    }

    /** Changes whenever claims were given back ({@link #release}) on this instance; rows then due at once. */
    long releases() {
        return releases.get();
    }

    /**
     * A replay's history: the delivery a DELIVERED row held only in itself (its {@code delivered_at},
     * unless written already by an earlier replay), then the replay, in that order. Reads {@code replayed},
     * the replay's UPDATE, which leaves {@code delivered_at} as it was.
     */
    private static final String RECORD_REPLAY = """
            INSERT INTO notification_attempt (event_id, at, outcome, error)
            SELECT event_id, at, outcome, error FROM (
                SELECT r.event_id, r.delivered_at AS at, 'DELIVERED' AS outcome, NULL AS error, 0 AS step
                  FROM replayed r
                 WHERE r.delivered_at IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM notification_attempt a
                                    WHERE a.event_id = r.event_id AND a.outcome = 'DELIVERED'
                                      AND a.at = r.delivered_at)
                UNION ALL
                SELECT r.event_id, now(), 'REPLAYED', :error, 1 FROM replayed r) s
             ORDER BY step""";

    /**
     * The one way back: an SRE's replay puts notifications — even DELIVERED ones — back to
     * PENDING with a fresh attempt count. One in the middle of a send (leased) is left alone.
     */
    List<UUID> replay(ReplayScope scope, String actor) {
        Scope where = Scope.of(scope);
        Map<String, Object> params = new HashMap<>(where.params());
        params.put("error", "replay requested by " + actor);
        return jdbc.sql("""
                WITH replayed AS (
                    UPDATE notification
                       SET status = 'PENDING', attempts = 0, next_attempt_at = now(), last_error = NULL,
                           first_failed_at = NULL, lease_owner = NULL, lease_until = NULL, lease_token = NULL
                     WHERE (lease_until IS NULL OR lease_until < clock_timestamp()) AND %s
                    RETURNING event_id, delivered_at),
                recorded AS (%s)
                SELECT event_id FROM replayed
                """.formatted(where.sql(), RECORD_REPLAY))
                .params(params)
                .query(UUID.class)
                .list();
    }

    /** Where a chunked bulk replay has got to: the last row replayed, in (created_at, event_id) order. */
    record ReplayCursor(Instant createdAt, UUID eventId) {
    }

    /** A chunk of a bulk replay: how many it replayed and where the next one starts (null: none replayed). */
    record ReplayedChunk(int count, ReplayCursor last) {
    }

    /**
     * The same transition as {@link #replay} for at most {@code limit} notifications of the scope
     * after {@code after} (null: from the start), walked in (created_at, event_id) order, so a bulk
     * replay touches a bounded number of rows per transaction and ends even for PENDING.
     */
    ReplayedChunk replayChunk(ReplayScope.Matching scope, String actor, ReplayCursor after, int limit) {
        Scope where = Scope.of(scope);
        Map<String, Object> params = new HashMap<>(where.params());
        params.put("error", "replay requested by " + actor);
        params.put("afterAt", timestamp(after == null ? null : after.createdAt()));
        params.put("afterId", after == null ? new UUID(0, 0) : after.eventId());
        params.put("limit", limit);
        List<ReplayCursor> replayed = jdbc.sql("""
                WITH picked AS (
                    SELECT event_id FROM notification
                     WHERE (lease_until IS NULL OR lease_until < clock_timestamp()) AND %s
                       AND (CAST(:afterAt AS timestamptz) IS NULL OR (created_at, event_id) > (:afterAt, :afterId))
                     ORDER BY created_at, event_id
                     LIMIT :limit),
                replayed AS (
                    UPDATE notification
                       SET status = 'PENDING', attempts = 0, next_attempt_at = now(), last_error = NULL,
                           first_failed_at = NULL, lease_owner = NULL, lease_until = NULL, lease_token = NULL
                     WHERE event_id IN (SELECT event_id FROM picked)
                       AND (lease_until IS NULL OR lease_until < clock_timestamp())
                    RETURNING event_id, created_at, delivered_at),
                recorded AS (%s)
                SELECT created_at, event_id FROM replayed ORDER BY created_at DESC, event_id DESC
                """.formatted(where.sql(), RECORD_REPLAY))
                .params(params)
                .query((rs, row) -> new ReplayCursor(rs.getTimestamp("created_at").toInstant(),
                        rs.getObject("event_id", UUID.class)))
                .list();
        return new ReplayedChunk(replayed.size(), replayed.isEmpty() ? null : replayed.get(0));
    }

    /** How many notifications a replay of this scope would touch now. */
    long count(ReplayScope scope) {
        Scope where = Scope.of(scope);
        return jdbc.sql("SELECT count(*) FROM notification WHERE (lease_until IS NULL OR lease_until < now()) AND "
                + where.sql()).params(where.params()).query(Long.class).single();
    }

    /** A scope as a predicate on the ledger with its bound values; never text from a request. */
    private record Scope(String sql, Map<String, Object> params) {

        static Scope of(ReplayScope scope) {
            if (scope instanceof ReplayScope.Event e) {
                return new Scope("event_id = :eventId", Map.of("eventId", e.eventId()));
            }
            if (scope instanceof ReplayScope.Order o) {
                return new Scope("order_id = :orderId", Map.of("orderId", o.orderId()));
            }
            ReplayScope.Matching m = (ReplayScope.Matching) scope;
            Map<String, Object> params = new HashMap<>();
            params.put("status", m.status().name());
            params.put("from", timestamp(m.from()));
            params.put("to", timestamp(m.to()));
            return new Scope("""
                    status = :status
                    AND (CAST(:from AS timestamptz) IS NULL OR created_at >= :from)
                    AND (CAST(:to AS timestamptz) IS NULL OR created_at < :to)""", params);
        }
    }

    /** A timestamp parameter, typed even when null so PostgreSQL can tell what it is. */
    static SqlParameterValue timestamp(Instant instant) {
        return new SqlParameterValue(Types.TIMESTAMP_WITH_TIMEZONE,
                instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    /** Keeps a stream entry that is not a readable event, with the reason, so it is never retried. */
    void poison(String entryId, String fields, String reason) {
        jdbc.sql("INSERT INTO stream_poison (stream_entry_id, fields, reason) VALUES (:id, :fields, :reason)")
                .param("id", entryId)
                .param("fields", fields)
                .param("reason", reason)
                .update();
    }

    /**
     * A refused stream entry as it arrived: a readable rendering (no NUL, valid UTF-8) for people,
     * its bytes for the record, the event id it named (null: none readable) to be checked against the
     * outbox again. An entry already kept (a batch read again) is not kept twice. Returns whether
     * it was new.
     */
    boolean poison(String entryId, String readable, byte[] raw, long rawLength, byte[] rawSha256, UUID eventId,
            String reason) {
        return jdbc.sql("""
                INSERT INTO stream_poison (stream_entry_id, fields, raw, raw_length, raw_sha256, event_id, reason)
                SELECT :id, :fields, :raw, :rawLength, :sha, :eventId, :reason
                 WHERE NOT EXISTS (SELECT 1 FROM stream_poison WHERE stream_entry_id = :id)
                """)
                .param("id", entryId)
                .param("fields", readable)
                .param("raw", new SqlParameterValue(Types.BINARY, raw))
                .param("rawLength", rawLength)
                .param("sha", new SqlParameterValue(Types.BINARY, rawSha256))
                .param("eventId", new SqlParameterValue(Types.OTHER, eventId))
                .param("reason", reason)
                .update() > 0;
    }

    /**
     * Event ids named by poison entries not yet resolved and kept since {@code since} (older ones
     * name events the outbox no longer keeps), oldest first.
     */
    List<UUID> unresolvedPoison(Instant since, int limit) {
        return jdbc.sql("""
                SELECT event_id FROM stream_poison
                 WHERE event_id IS NOT NULL AND resolved_at IS NULL AND at >= :since
                 GROUP BY event_id ORDER BY min(at) LIMIT :limit
                """)
                .param("since", Timestamp.from(since))
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }

    /** These poison entries named events the ledger now has: resolved. */
    int resolvePoison(java.util.Collection<UUID> eventIds) {
        if (eventIds.isEmpty()) {
            return 0;
        }
        return jdbc.sql("UPDATE stream_poison SET resolved_at = now() WHERE event_id IN (:ids) AND resolved_at IS NULL")
                .param("ids", eventIds)
                .update();
    }

    /**
     * Order events in the outbox older than {@code grace} by the database's own clock that the
     * ledger has no row for: what the stream and the reconciler both missed, if anything. The
     * anti-join reads the outbox's (type, created_at, id) index alone; only the rows it leaves (none,
     * normally) are read for their aggregate id, whose pattern excludes what is no order's event.
     * Tested on 500,000 outbox rows, all ledgered: 0.47 s of one core, where a regex on every row first
     * took 3.6 s over three workers.
     */
    long unledgeredOlderThan(String type, Duration grace) {
        return jdbc.sql("""
                WITH unledgered AS MATERIALIZED (
                    SELECT o.id FROM outbox o
                     WHERE o.type = :type AND o.created_at < clock_timestamp() - make_interval(secs => :grace)
                       AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.event_id = o.id))
                SELECT count(*) FROM outbox o JOIN unledgered u ON u.id = o.id
                 WHERE o.aggregateid ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                """)
                .param("type", type)
                .param("grace", seconds(grace))
                .query(Long.class)
                .single();
    }

    /** Those of these events the ledger still holds, whatever their status. */
    java.util.Set<UUID> heldAmong(java.util.Collection<UUID> eventIds) {
        if (eventIds.isEmpty()) {
            return java.util.Set.of();
        }
        return java.util.Set.copyOf(jdbc.sql("SELECT event_id FROM notification WHERE event_id IN (:ids)")
                .param("ids", eventIds).query(UUID.class).list());
    }

    /** The order and the order's commit of a notification the ledger has, whatever its status. */
    Optional<Notifications.Ledgered> ledgered(UUID eventId) {
        return jdbc.sql("SELECT order_id, event_committed_at FROM notification WHERE event_id = :eventId")
                .param("eventId", eventId)
                .query((rs, row) -> new Notifications.Ledgered(rs.getObject("order_id", UUID.class),
                        instant(rs, "event_committed_at")))
                .optional();
    }

    Optional<NotificationStatus> statusOfOrder(UUID orderId) {
        return jdbc.sql("""
                SELECT status, attempts, delivered_at FROM notification
                 WHERE order_id = :orderId ORDER BY created_at DESC LIMIT 1
                """)
                .param("orderId", orderId)
                .query((rs, row) -> new NotificationStatus(DeliveryStatus.valueOf(rs.getString("status")),
                        rs.getInt("attempts"), instant(rs, "delivered_at"), null))
                .optional();
    }

    /** Delivered notifications older than {@code before}, oldest first: candidates for purging. */
    List<UUID> deliveredBefore(Instant before, int limit) {
        return jdbc.sql("""
                SELECT event_id FROM notification
                 WHERE status = 'DELIVERED' AND delivered_at < :before
                 ORDER BY delivered_at LIMIT :limit
                """)
                .param("before", Timestamp.from(before))
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }

    /** Deletes these rows (and their history); the caller has purged their outbox events first. */
    int purge(List<UUID> eventIds) {
        if (eventIds.isEmpty()) {
            return 0;
        }
        return jdbc.sql("DELETE FROM notification WHERE event_id IN (:ids)").param("ids", eventIds).update();
    }

    int purgePoison(Instant before) {
        return jdbc.sql("DELETE FROM stream_poison WHERE at < :before").param("before", Timestamp.from(before)).update();
    }

    /**
     * Event ids as one array parameter ({@code = ANY (CAST(:ids AS uuid[]))}) rather than an IN list:
     * the statement's text is the same for any count, so each connection parses and plans it once.
     * An IN list of n ids was a statement of its own for each n, parsed and planned at every call
     * (a send's DELIVERED write, under load, carried from one to fifty).
     */
    private static String[] ids(java.util.Collection<UUID> eventIds) {
        return eventIds.stream().map(UUID::toString).toArray(String[]::new);
    }

    static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
