package com.onlinedukan.ops;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.onlinedukan.stream.OutboxStream;
import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.OpsClient;
import com.onlinedukan.support.Orders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.TestPropertySource;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** The SRE surface: see the pipeline, find what failed, replay it, pause and resume, all audited. */
@DukanTest
@TestPropertySource(properties = {
        // pipelineShowsEveryStage expects delivered entries still in the stream (a positive length)
        "dukan.relay.trim-interval=1h",
        "dukan.notification.retry-poll-interval=100ms",
        "dukan.telegram.rate.per-chat-per-minute=6000",
        "dukan.telegram.rate.per-chat-per-second=100",
        // bulk replays of a few notifications still go through several chunks
        "dukan.notification.replay-chunk-size=1" })
class OpsApiTests {

    @LocalServerPort
    int port;

    @Autowired
    FakeBotApi telegram;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Autowired
    LoginThrottle throttle;

    @Autowired
    ApplicationContext context;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    OutboxStream stream;

    Orders http;

    @BeforeEach
    void setUp() {
        http = new Orders(port);
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "SELECT count(*) FROM notification WHERE status IN ('PENDING', 'RETRYING')").query(Long.class).single() == 0);
    }

    @AfterEach
    void tearDown() {
        telegram.clearScript();
        throttle.clear();
        ops("POST", "/api/ops/delivery/resume", null);
    }

    static Stream<Arguments> protectedEndpoints() {
        String some = UUID.randomUUID().toString();
        return Stream.of(
                Arguments.of("GET", "/api/ops/pipeline", null),
                Arguments.of("GET", "/api/ops/notifications?status=DEAD", null),
                Arguments.of("GET", "/api/ops/notifications/" + some, null),
                Arguments.of("POST", "/api/ops/notifications/" + some + "/replay", null),
                Arguments.of("POST", "/api/ops/notifications/replay", "{\"status\":\"DEAD\"}"),
                Arguments.of("POST", "/api/ops/orders/" + some + "/replay", null),
                Arguments.of("POST", "/api/ops/delivery/pause", null),
                Arguments.of("POST", "/api/ops/delivery/resume", null),
                Arguments.of("GET", "/api/ops/audit", null),
                Arguments.of("GET", "/api/ops/notifications?orderId=" + some, null),
                Arguments.of("GET", "/api/ops/delivery/timeline", null),
                Arguments.of("GET", "/api/ops/poison", null),
                Arguments.of("GET", "/api/ops/consumers", null),
                Arguments.of("GET", "/api/ops/instances", null),
                Arguments.of("GET", "/ops", null),
                Arguments.of("GET", "/ops/index.html", null),
                Arguments.of("GET", "/ops/ops.css", null),
                Arguments.of("GET", "/ops/js/main.js", null),
                Arguments.of("GET", "/actuator/metrics", null),
                Arguments.of("GET", "/actuator/info", null));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("protectedEndpoints")
    void everyOpsEndpointNeedsTheCredential(String method, String path, String body) {
        Orders.Response anonymous = send(method, path, body, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.raw().headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"OnlineDukan ops\"");
        assertThat(anonymous.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(anonymous.body().get("type").asString()).isEqualTo("/problems/unauthorized");
        assertThat(send(method, path, body, basic(DukanTestContext.OPS_USER, "wrong")).status()).isEqualTo(401);
        int status = ops(method, path, body).status();
        assertThat(status).isNotIn(401, 403).isLessThan(500);
    }

    /**
     * Any instant Java reads, from a billion years ago to a billion ahead, as a window's {@code from}
     * or {@code to} (the notifications list, a replay's dry run): inside the years 1 to 9999 it is
     * used, outside them it is a 400 naming the field; never a 500 from the database, whose
     * timestamps stop near the year 294,276.
     */
    @Test
    void anInstantAnywhereJavaReadsIsUsedOrRefusedNamingItsField() {
        List<String> outside = List.of("-999999999-01-01T00:00:00Z", "-4714-11-24T00:00:00Z", "0000-12-31T23:59:59Z",
                "+10000-01-01T00:00:00Z", "+294277-01-01T00:00:00Z", "+999999999-12-31T23:59:59.999999999Z");
        List<String> inside = List.of("0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z");
        for (String field : List.of("from", "to")) {
            for (String at : outside) {
                String encoded = java.net.URLEncoder.encode(at, java.nio.charset.StandardCharsets.UTF_8);
                var listed = ops("GET", "/api/ops/notifications?" + field + "=" + encoded, null);
                assertThat(listed.status()).as("list %s=%s", field, at).isEqualTo(400);
                assertThat(listed.body().get("errors").findValuesAsString("field")).containsExactly(field);

                var replay = ops("POST", "/api/ops/notifications/replay",
                        "{\"status\":\"DEAD\",\"" + field + "\":\"" + at + "\",\"dryRun\":true}");
                assertThat(replay.status()).as("replay %s=%s", field, at).isEqualTo(400);
                assertThat(replay.body().get("errors").findValuesAsString("field")).containsExactly(field);
            }
            for (String at : inside) {
                String encoded = java.net.URLEncoder.encode(at, java.nio.charset.StandardCharsets.UTF_8);
                assertThat(ops("GET", "/api/ops/notifications?" + field + "=" + encoded, null).status())
                        .as("list %s=%s", field, at).isEqualTo(200);
                assertThat(ops("POST", "/api/ops/notifications/replay",
                        "{\"status\":\"DEAD\",\"" + field + "\":\"" + at + "\",\"dryRun\":true}").status())
                        .as("replay %s=%s", field, at).isEqualTo(200);
            }
        }
        var number = ops("POST", "/api/ops/notifications/replay", "{\"status\":\"DEAD\",\"from\":1e30,\"dryRun\":true}");
        assertThat(number.status()).isEqualTo(400);
        assertThat(number.body().get("errors").findValuesAsString("field")).containsExactly("from");
    }

    @Test
    void crossSiteFormPostWithTheCredentialIsRefusedAndPausesNothing() {
        Orders.Response refused = new OpsClient(port).callWith("POST", "/api/ops/delivery/pause", "reason=evil",
                "Content-Type", "application/x-www-form-urlencoded", "Origin", "https://evil.example",
                "Sec-Fetch-Site", "cross-site");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(refused.body().get("reason").asString()).isEqualTo("Sec-Fetch-Site is cross-site");
        assertThat(refused.body().get("type").asString()).isEqualTo("/problems/cross-site-request");
        assertThat(refused.raw().body()).doesNotContain(DukanTestContext.OPS_PASSWORD);
        assertThat(ops("GET", "/api/ops/pipeline", null).body().get("delivery").get("paused").asBoolean()).isFalse();
    }

    static Stream<Arguments> crossSiteSignals() {
        return Stream.of(
                Arguments.of("Sec-Fetch-Site cross-site", new String[] { "Sec-Fetch-Site", "cross-site" }, "Sec-Fetch-Site"),
                Arguments.of("Sec-Fetch-Site same-site", new String[] { "Sec-Fetch-Site", "same-site" }, "Sec-Fetch-Site"),
                Arguments.of("foreign Origin", new String[] { "Origin", "https://evil.example" }, "Origin"),
                Arguments.of("Origin on another port", new String[] { "Origin", "http://localhost:1" }, "Origin"),
                Arguments.of("opaque Origin", new String[] { "Origin", "null" }, "Origin"),
                Arguments.of("urlencoded form", new String[] { "Content-Type", "application/x-www-form-urlencoded" }, "form"),
                Arguments.of("multipart form", new String[] { "Content-Type", "multipart/form-data; boundary=x" }, "form"),
                Arguments.of("text/plain form", new String[] { "Content-Type", "text/plain;charset=UTF-8" }, "form"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("crossSiteSignals")
    void eachCrossSiteSignalAloneIsRefused(String signal, String[] headers, String reason) {
        Orders.Response pause = new OpsClient(port).callWith("POST", "/api/ops/delivery/pause", "x", headers);
        assertThat(pause.status()).isEqualTo(403);
        assertThat(pause.body().get("reason").asString()).contains(reason);
        Orders.Response replay = new OpsClient(port).callWith("POST", "/api/ops/notifications/replay",
                "{\"status\":\"DEAD\"}", headers);
        assertThat(replay.status()).isEqualTo(403);
        assertThat(ops("GET", "/api/ops/pipeline", null).body().get("delivery").get("paused").asBoolean()).isFalse();
    }

    @Test
    void apiClientsAndTheOpsPageStillPostJsonOrNoBody() {
        OpsClient client = new OpsClient(port);
        Orders.Response json = client.callWith("POST", "/api/ops/notifications/replay",
                "{\"status\":\"DEAD\",\"dryRun\":true}", "Content-Type", "application/json");
        assertThat(json.status()).as(json.raw().body()).isEqualTo(200);

        Orders.Response bare = client.callWith("POST", "/api/ops/delivery/pause", null);
        assertThat(bare.status()).as(bare.raw().body()).isEqualTo(200);
        assertThat(bare.body().get("paused").asBoolean()).isTrue();

        // What the ops page's fetch() sends: its own origin, no body.
        Orders.Response page = client.callWith("POST", "/api/ops/delivery/resume", null,
                "Origin", "http://localhost:" + port, "Sec-Fetch-Site", "same-origin", "Accept", "application/json");
        assertThat(page.status()).as(page.raw().body()).isEqualTo(200);
        assertThat(page.body().get("paused").asBoolean()).isFalse();
        assertThat(client.callWith("POST", "/api/ops/delivery/pause", null, "Sec-Fetch-Site", "none").status())
                .isEqualTo(200);
    }

    @Test
    void authenticatedRequestsCostADigestNotABcrypt() {
        assertThat(context.getBeanNamesForType(PasswordEncoder.class)).isEmpty();
        assertThat(context.getBeanNamesForType(UserDetailsService.class)).isEmpty();
        double before = checks("accepted");

        for (int i = 0; i < 20; i++) {
            assertThat(ops("GET", "/api/ops/pipeline", null).status()).isEqualTo(200);
        }

        // Twenty checks, each a SHA-256 digest compared in constant time (OpsCredential); no password encoder exists.
        assertThat(checks("accepted") - before).isEqualTo(20);
    }

    @Test
    void strayAuthorizationOnCustomerRequestsIsNeverCheckedAndNeverRefusesAProbe() {
        double before = checks("accepted") + checks("rejected") + checks("throttled");

        Orders.Response placed = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/orders"))
                .header("Content-Type", "application/json")
                .header("Authorization", basic(DukanTestContext.OPS_USER, "wrong"))
                .POST(HttpRequest.BodyPublishers.ofString(Orders.order("Stray " + UUID.randomUUID(), null, "A"))));

        assertThat(placed.status()).isEqualTo(201);
        assertThat(checks("accepted") + checks("rejected") + checks("throttled")).isEqualTo(before);
        // Health: a wrong header is ignored (the probe still gets its answer), the right one shows details.
        Orders.Response probe = send("GET", "/actuator/health", null, basic("someone", "else"));
        assertThat(probe.status()).isEqualTo(200);
        assertThat(probe.body().has("components")).isFalse();
        assertThat(ops("GET", "/actuator/health", null).body().has("components")).isTrue();
    }

    @Test
    void failedLoginsAreThrottledAndTheRightCredentialStillWorks() {
        for (int i = 0; i < 10; i++) {
            assertThat(send("GET", "/api/ops/pipeline", null, basic(DukanTestContext.OPS_USER, "guess" + i)).status())
                    .isEqualTo(401);
        }
        double rejected = checks("rejected");

        Orders.Response throttled = send("GET", "/api/ops/pipeline", null, basic(DukanTestContext.OPS_USER, "guess"));
        Orders.Response evenTheRightOne = ops("GET", "/api/ops/pipeline", null);
        Orders.Response stillThrottled = send("GET", "/api/ops/pipeline", null, basic(DukanTestContext.OPS_USER, "guess"));

        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.raw().headers().firstValue("Retry-After")).hasValue("60");
        assertThat(throttled.body().get("reason").asString()).isEqualTo("throttled");
        assertThat(throttled.body().get("type").asString()).isEqualTo("/problems/too-many-logins");
        assertThat(evenTheRightOne.status()).isEqualTo(200);
        assertThat(checks("rejected")).isEqualTo(rejected);
        assertThat(evenTheRightOne.raw().body()).doesNotContain(DukanTestContext.OPS_PASSWORD);
        assertThat(stillThrottled.status()).as("the right credential reopens nothing for guesses").isEqualTo(429);
    }

    private double checks(String outcome) {
        return meters.get("dukan.ops.credential.checks").tag("outcome", outcome).counter().count();
    }

    @Test
    void healthAndPrometheusAreOpen() {
        assertThat(send("GET", "/actuator/health", null, null).status()).isEqualTo(200);
        assertThat(send("GET", "/actuator/health/readiness", null, null).status()).isEqualTo(200);
        assertThat(send("GET", "/actuator/health/liveness", null, null).status()).isEqualTo(200);
        assertThat(send("GET", "/actuator/prometheus", null, null).status()).isEqualTo(200);
    }

    @Test
    void pipelineShowsEveryStage() {
        String id = place("Pipeline");
        await().atMost(Duration.ofSeconds(20)).until(() -> !telegram.acceptedMentioning(id).isEmpty());

        JsonNode pipeline = ops("GET", "/api/ops/pipeline", null).body();
        assertThat(pipeline.get("outbox").get("undelivered").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(pipeline.get("outbox").has("oldestUndeliveredAgeSeconds")).isTrue();
        // The relay's figures are its leader's last report, written every leadership check.
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "RUNNING".equals(ops("GET", "/api/ops/pipeline", null).body().get("relay").get("state").asString()));
        assertThat(pipeline.get("relay").get("leader").asBoolean()).isTrue();
        assertThat(pipeline.get("relay").has("lagSeconds")).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                ops("GET", "/api/ops/pipeline", null).body().get("relay").get("retainedWalBytes").asLong() >= 0);
        assertThat(pipeline.get("stream").get("length").asLong()).isPositive();
        assertThat(pipeline.get("stream").get("pending").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(pipeline.get("notifications").get("delivered").asLong()).isPositive();
        assertThat(pipeline.get("delivery").get("paused").asBoolean()).isFalse();
    }

    @Test
    void oneNotificationWithItsHistoryAndReplayedAfterDelivery() {
        String orderId = place("Replayed");
        await().atMost(Duration.ofSeconds(20)).until(() -> !telegram.acceptedMentioning(orderId).isEmpty());
        String eventId = eventOf(orderId);

        // Telegram has the message a moment before the ledger has committed its DELIVERED.
        JsonNode detail = deliveredDetail(eventId);
        assertThat(detail.get("orderId").asString()).isEqualTo(orderId);
        assertThat(detail.get("history").findValuesAsString("outcome")).containsExactly("DELIVERED");
        assertThat(detail.get("traceId").asString()).as("the trace of the order's POST").matches("[0-9a-f]{32}");

        Orders.Response replay = ops("POST", "/api/ops/notifications/" + eventId + "/replay", null);
        assertThat(replay.status()).isEqualTo(202);
        assertThat(replay.body().get("replayed").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> telegram.acceptedMentioning(orderId).size() == 2);
        JsonNode after = deliveredDetail(eventId);
        assertThat(after.get("attempts").asInt()).isEqualTo(1);
        assertThat(after.get("history").findValuesAsString("outcome")).containsExactly("DELIVERED", "REPLAYED", "DELIVERED");
        assertThat(ops("GET", "/api/ops/notifications/" + UUID.randomUUID(), null).status()).isEqualTo(404);
    }

    /**
     * A delivery is kept in the ledger row alone until the row moves on; a replay writes it into the
     * history first. Replayed twice before it is sent again (delivery paused), the history still holds
     * that delivery once, at the time it happened, then both replays, then the new delivery.
     */
    @Test
    void aDeliveryReplayedTwiceBeforeItIsSentAgainStaysInTheHistoryOnce() {
        String orderId = place("Replayed twice");
        await().atMost(Duration.ofSeconds(20)).until(() -> !telegram.acceptedMentioning(orderId).isEmpty());
        String eventId = eventOf(orderId);
        JsonNode delivered = deliveredDetail(eventId);

        assertThat(ops("POST", "/api/ops/delivery/pause", null).status()).isEqualTo(200);
        try {
            for (int i = 0; i < 2; i++) {
                Orders.Response replay = ops("POST", "/api/ops/notifications/" + eventId + "/replay", null);
                assertThat(replay.status()).isEqualTo(202);
                assertThat(replay.body().get("replayed").asInt()).isEqualTo(1);
            }
            JsonNode waiting = ops("GET", "/api/ops/notifications/" + eventId, null).body();
            assertThat(waiting.get("status").asString()).isEqualTo("PENDING");
            assertThat(waiting.get("history").findValuesAsString("outcome")).containsExactly("DELIVERED", "REPLAYED", "REPLAYED");
            assertThat(Instant.parse(waiting.get("history").get(0).get("at").asString()))
                    .as("the delivery, at the time it happened")
                    .isEqualTo(Instant.parse(delivered.get("deliveredAt").asString()));
        }
        finally {
            ops("POST", "/api/ops/delivery/resume", null);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> telegram.acceptedMentioning(orderId).size() == 2);
        JsonNode again = deliveredDetail(eventId);
        assertThat(again.get("history").findValuesAsString("outcome"))
                .containsExactly("DELIVERED", "REPLAYED", "REPLAYED", "DELIVERED");
        assertThat(Instant.parse(again.get("history").get(3).get("at").asString()))
                .isEqualTo(Instant.parse(again.get("deliveredAt").asString()));
    }

    /**
     * A delivery recorded the old way (before V21, or by an instance not yet upgraded in a rolling
     * deploy), as an attempt beside its DELIVERED row, is shown once; one that a replay has since
     * moved on (its row PENDING) stays in the history, where the row no longer shows it.
     */
    @Test
    void aDeliveryRecordedTheOldWayIsShownOnce() {
        UUID delivered = UUID.randomUUID();
        UUID replayed = UUID.randomUUID();
        Instant at = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MICROS);
        try {
            for (UUID event : List.of(delivered, replayed)) {
                boolean stillDelivered = event.equals(delivered);
                jdbc.sql("""
                        INSERT INTO notification (event_id, order_id, status, attempts, payload, event_committed_at,
                                                  next_attempt_at, delivered_at)
                        VALUES (:id, :id, :status, 1, '{}', :at, :next, :at)""")
                        .param("id", event).param("status", stillDelivered ? "DELIVERED" : "PENDING")
                        .param("at", java.sql.Timestamp.from(at))
                        // Not due while the test runs: no sender may take it.
                        .param("next", stillDelivered ? null : java.sql.Timestamp.from(Instant.now().plusSeconds(3600)))
                        .update();
                jdbc.sql("INSERT INTO notification_attempt (event_id, at, outcome) VALUES (:id, :at, 'TRANSIENT')")
                        .param("id", event).param("at", java.sql.Timestamp.from(at.minusSeconds(5))).update();
                jdbc.sql("INSERT INTO notification_attempt (event_id, at, outcome) VALUES (:id, :at, 'DELIVERED')")
                        .param("id", event).param("at", java.sql.Timestamp.from(at)).update();
            }
            jdbc.sql("INSERT INTO notification_attempt (event_id, at, outcome) VALUES (:id, :at, 'REPLAYED')")
                    .param("id", replayed).param("at", java.sql.Timestamp.from(at.plusSeconds(10))).update();

            assertThat(historyOf(delivered)).containsExactly("TRANSIENT", "DELIVERED");
            assertThat(historyOf(replayed)).containsExactly("TRANSIENT", "DELIVERED", "REPLAYED");
        }
        finally {
            jdbc.sql("DELETE FROM notification WHERE event_id IN (:ids)").param("ids", List.of(delivered, replayed)).update();
        }
    }

    private List<String> historyOf(UUID eventId) {
        return jdbc.sql("SELECT outcome FROM notification_history WHERE event_id = :id ORDER BY at, id")
                .param("id", eventId).query(String.class).list();
    }

    /** The notification's detail once the ledger says DELIVERED. */
    private JsonNode deliveredDetail(String eventId) {
        return await().atMost(Duration.ofSeconds(10))
                .until(() -> ops("GET", "/api/ops/notifications/" + eventId, null).body(),
                        detail -> "DELIVERED".equals(detail.get("status").asString()));
    }

    @Test
    void bulkReplayOfDeadLettersByTimeWindowDeliversThemAndADryRunSendsNothing() {
        Instant from = Instant.now().minusSeconds(1);
        telegram.failNext(2, 400, "Bad Request: message is too long");
        List<String> dead = new ArrayList<>(List.of(place("Dead one")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "DEAD".equals(statusOf(dead.get(0))));
        dead.add(place("Dead two"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "DEAD".equals(statusOf(dead.get(1))));
        Instant to = Instant.now().plusSeconds(1);

        JsonNode listed = ops("GET", "/api/ops/notifications?status=DEAD&from=" + from + "&to=" + to, null).body();
        assertThat(listed.findValuesAsString("orderId")).containsExactlyInAnyOrder(dead.get(0), dead.get(1));
        assertThat(listed.get(0).get("orderId").asString()).isEqualTo(dead.get(1));

        String window = "\"from\":\"" + from + "\",\"to\":\"" + to + "\"";
        Orders.Response dry = ops("POST", "/api/ops/notifications/replay", "{\"status\":\"DEAD\"," + window + ",\"dryRun\":true}");
        assertThat(dry.status()).as(dry.raw().body()).isEqualTo(200);
        assertThat(dry.body().get("wouldReplay").asInt()).isEqualTo(2);
        Orders.Response outside = ops("POST", "/api/ops/notifications/replay",
                "{\"status\":\"DEAD\",\"from\":\"2000-01-01T00:00:00Z\",\"to\":\"2000-01-02T00:00:00Z\"}");
        assertThat(outside.status()).as(outside.raw().body()).isEqualTo(202);
        assertThat(outside.body().get("replayed").asInt()).isZero();
        assertThat(statusOf(dead.get(0))).isEqualTo("DEAD");
        assertThat(telegram.acceptedMentioning(dead.get(0))).isEmpty();

        Orders.Response replay = ops("POST", "/api/ops/notifications/replay", "{\"status\":\"DEAD\"," + window + "}");
        assertThat(replay.status()).isEqualTo(202);
        assertThat(replay.body().get("replayed").asInt()).isEqualTo(2);
        for (String id : dead) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(statusOf(id)));
            assertThat(telegram.acceptedMentioning(id)).hasSize(1);
        }
    }

    @Test
    void bulkReplayOfDeliveredNeedsAWindowAndReplaysNothingWithout() {
        String orderId = place("Delivered once");
        await().atMost(Duration.ofSeconds(20)).until(() -> !telegram.acceptedMentioning(orderId).isEmpty());
        String now = Instant.now().toString();

        assertThat(windowErrorFields("{\"status\":\"DELIVERED\"}")).containsExactly("from", "to");
        assertThat(windowErrorFields("{\"status\":\"DELIVERED\",\"from\":\"2000-01-01T00:00:00Z\"}")).containsExactly("to");
        assertThat(windowErrorFields("{\"status\":\"DELIVERED\",\"to\":\"" + now + "\",\"dryRun\":true}"))
                .containsExactly("from");
        assertThat(windowErrorFields("{\"status\":\"DEAD\",\"from\":\"" + now + "\",\"to\":\"" + now + "\"}"))
                .containsExactly("from", "to");

        assertThat(statusOf(orderId)).isEqualTo("DELIVERED");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> telegram.acceptedMentioning(orderId).size() == 1);
    }

    @Test
    void bulkReplayCountsFirstOnADryRunAndReplaysInChunksAuditingTheTotal() {
        // Not a second earlier: orders of the tests before would fall into the window.
        Instant from = Instant.now();
        List<String> delivered = List.of(place("Chunked 1"), place("Chunked 2"), place("Chunked 3"));
        for (String id : delivered) {
            await().atMost(Duration.ofSeconds(20)).until(() -> telegram.acceptedMentioning(id).size() == 1);
            // Telegram has the message a moment before the ledger has committed its DELIVERED.
            await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(statusOf(id)));
        }
        String window = "\"from\":\"" + from + "\",\"to\":\"" + Instant.now().plusSeconds(1) + "\"";

        Orders.Response dry = ops("POST", "/api/ops/notifications/replay", "{\"status\":\"DELIVERED\"," + window + ",\"dryRun\":true}");
        assertThat(dry.status()).as(dry.raw().body()).isEqualTo(200);
        assertThat(dry.body().get("wouldReplay").asInt()).isEqualTo(3);
        assertThat(telegram.acceptedMentioning(delivered.get(0))).hasSize(1);

        // replay-chunk-size is 1 here: three chunks, three transactions, one audit entry with the total.
        Orders.Response replay = ops("POST", "/api/ops/notifications/replay", "{\"status\":\"DELIVERED\"," + window + "}");
        assertThat(replay.status()).as(replay.raw().body()).isEqualTo(202);
        assertThat(replay.body().get("replayed").asInt()).isEqualTo(3);
        for (String id : delivered) {
            await().atMost(Duration.ofSeconds(20)).until(() -> telegram.acceptedMentioning(id).size() == 2);
        }
        JsonNode audit = ops("GET", "/api/ops/audit?limit=2", null).body();
        assertThat(audit.get(0).get("action").asString()).isEqualTo("REPLAY_BULK");
        assertThat(audit.get(0).get("count").asInt()).isEqualTo(3);
        assertThat(audit.get(1).get("action").asString()).isEqualTo("REPLAY_DRY_RUN");
    }

    @Test
    void aDryRunCountsExactlyWhatTheReplayThenReplays() {
        Instant from = Instant.now();
        telegram.failNext(3, 400, "Bad Request: message is too long");
        List<String> dead = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            dead.add(place("Counted " + i));
            String last = dead.get(i);
            await().atMost(Duration.ofSeconds(20)).until(() -> "DEAD".equals(statusOf(last)));
        }
        String delivered = place("Not dead, not counted");
        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(statusOf(delivered)));
        String filter = "{\"status\":\"DEAD\",\"from\":\"" + from + "\",\"to\":\"" + Instant.now().plusSeconds(1) + "\"";

        long wouldReplay = ops("POST", "/api/ops/notifications/replay", filter + ",\"dryRun\":true}").body()
                .get("wouldReplay").asLong();
        Orders.Response replay = ops("POST", "/api/ops/notifications/replay", filter + "}");

        assertThat(replay.status()).as(replay.raw().body()).isEqualTo(202);
        assertThat(wouldReplay).isEqualTo(3).isEqualTo(replay.body().get("replayed").asLong());
        for (String id : dead) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(statusOf(id)));
        }
        assertThat(telegram.acceptedMentioning(delivered)).hasSize(1);
    }

    @Test
    void searchByOrderIdFindsThatOrdersNotificationOnly() {
        String wanted = place("Searched");
        String other = place("Not searched");
        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(statusOf(wanted))
                && "DELIVERED".equals(statusOf(other)));

        JsonNode found = ops("GET", "/api/ops/notifications?orderId=" + wanted, null).body();

        assertThat(found.findValuesAsString("orderId")).containsExactly(wanted);
        assertThat(found.get(0).get("eventId").asString()).isEqualTo(eventOf(wanted));
        assertThat(found.get(0).get("status").asString()).isEqualTo("DELIVERED");
        assertThat(ops("GET", "/api/ops/notifications?orderId=" + wanted + "&status=DEAD", null).body()).isEmpty();
        assertThat(ops("GET", "/api/ops/notifications?orderId=" + UUID.randomUUID(), null).body()).isEmpty();
        assertThat(ops("GET", "/api/ops/notifications?orderId=not-a-uuid", null).status()).isEqualTo(400);
    }

    @Test
    void deliveryTimelineCountsEachMinuteAndItsDelayFromTheLedger() {
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));
        for (double delay : new double[] { 1, 2, 30 }) {
            jdbc.sql("""
                    INSERT INTO notification (event_id, order_id, status, attempts, payload, event_committed_at,
                                              created_at, delivered_at)
                    VALUES (:event, :order, 'DELIVERED', 1, '{}',
                            CAST(:delivered AS timestamptz) - make_interval(secs => :delay),
                            CAST(:delivered AS timestamptz) - interval '1 minute', :delivered)
                    """)
                    .param("event", UUID.randomUUID()).param("order", UUID.randomUUID())
                    .param("delivered", java.sql.Timestamp.from(minute.plusSeconds(5))).param("delay", delay)
                    .update();
        }

        JsonNode timeline = ops("GET", "/api/ops/delivery/timeline?minutes=60", null).body();

        assertThat(timeline).hasSize(60);
        JsonNode tenMinutesAgo = null;
        for (JsonNode entry : timeline) {
            if (Instant.parse(entry.get("minute").asString()).equals(minute)) {
                tenMinutesAgo = entry;
            }
        }
        assertThat(tenMinutesAgo).as("the minute of the inserted deliveries").isNotNull();
        assertThat(tenMinutesAgo.get("delivered").asLong()).isEqualTo(3);
        assertThat(tenMinutesAgo.get("delayP50Seconds").asDouble()).isCloseTo(2.0, within(0.001));
        // percentile_cont: 2 + 0.98 × (30 − 2)
        assertThat(tenMinutesAgo.get("delayP99Seconds").asDouble()).isCloseTo(29.44, within(0.001));
        assertThat(Instant.parse(timeline.get(0).get("minute").asString())).isBefore(minute);
        assertThat(timeline.get(59).get("minute").asString()).isNotNull();
        assertThat(ops("GET", "/api/ops/delivery/timeline?minutes=0", null).status()).isEqualTo(400);
    }

    @Test
    void poisonEntriesAreListedWithTheirReason() {
        var forged = redis.opsForStream().add(StreamRecords.newRecord().in(stream.key()).ofMap(Map.of(
                "eventId", UUID.randomUUID().toString(), "note", "forged for the ops page")));

        await().atMost(Duration.ofSeconds(20)).until(() -> ops("GET", "/api/ops/poison", null).body()
                .findValuesAsString("streamEntryId").contains(forged.getValue()));
        JsonNode entry = ops("GET", "/api/ops/poison?limit=1", null).body().get(0);
        assertThat(entry.get("streamEntryId").asString()).isEqualTo(forged.getValue());
        assertThat(entry.get("reason").asString()).contains("not in the outbox");
        assertThat(entry.get("fields").asString()).contains("forged for the ops page");
    }

    @Test
    void consumersAndInstancesNameTheInstanceThatAnswered() {
        // Each instance beats every 5 s with its relay's state, RUNNING on this one once its relay runs.
        await().atMost(Duration.ofSeconds(20)).until(() -> ops("GET", "/api/ops/instances", null).body()
                .get("instances").findValuesAsString("relayState").contains("RUNNING"));
        Orders.Response answered = ops("GET", "/api/ops/instances", null);
        String self = answered.body().get("answeredBy").asString();
        JsonNode me = answered.body().get("instances").get(0);

        assertThat(answered.raw().headers().firstValue("Dukan-Instance")).hasValue(self);
        assertThat(me.get("id").asString()).isEqualTo(self);
        assertThat(me.get("presence").asString()).isEqualTo("ALIVE");
        assertThat(me.get("relayState").asString()).isEqualTo("RUNNING");
        JsonNode consumers = ops("GET", "/api/ops/consumers", null).body();
        assertThat(consumers.get("group").asString()).isEqualTo("dukan-notifier");
        assertThat(consumers.get("stream").asString()).isEqualTo(stream.key());
        assertThat(consumers.get("consumers").findValuesAsString("name")).contains(me.get("consumer").asString());
        assertThat(consumers.get("consumers").get(0).get("idleSeconds").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(ops("GET", "/api/ops/pipeline", null).body().get("answeredBy").asString()).isEqualTo(self);
    }

    /**
     * This instance runs no relay: whatever {@code /api/ops/pipeline} says of the relay comes from
     * the lease and the record another instance, the leader, wrote to PostgreSQL. (A relay-disabled
     * instance competes for the lease too, for the reconciler and purges, so the test hands the
     * lease to a leader of its own making, which this instance cannot take while it is live.)
     */
    @Nested
    @TestPropertySource(properties = "dukan.relay.enabled=false")
    class WhileAnotherInstanceLeads {

        static final String LEADER = "leader-host/42/cafebabe";

        @Autowired
        JdbcClient standbyDatabase;

        @LocalServerPort
        int standbyPort;

        @Test
        void relayStateIsTheLeadersRecordAndSaysWhenItIsStale() {
            String slot = standbyDatabase.sql("SELECT current_database()").query(String.class).single();
            standbyDatabase.sql("""
                    INSERT INTO relay_leader (slot, holder, epoch, expires_at, locked)
                    VALUES (:slot, :leader, 7, now() + interval '10 minutes', false)
                    ON CONFLICT (slot) DO UPDATE SET holder = EXCLUDED.holder, epoch = relay_leader.epoch + 1,
                           expires_at = EXCLUDED.expires_at, locked = false
                    """).param("slot", slot).param("leader", LEADER).update();
            standbyDatabase.sql("""
                    INSERT INTO relay_state (slot, leader, state, lag_seconds, retained_wal_bytes, last_error, updated_at)
                    VALUES (:slot, :leader, 'RUNNING', 1.5, 123456, NULL, now())
                    ON CONFLICT (slot) DO UPDATE SET leader = EXCLUDED.leader, state = EXCLUDED.state,
                           lag_seconds = EXCLUDED.lag_seconds, retained_wal_bytes = EXCLUDED.retained_wal_bytes,
                           last_error = NULL, updated_at = EXCLUDED.updated_at
                    """).param("slot", slot).param("leader", LEADER).update();
            OpsClient standby = new OpsClient(standbyPort);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode pipeline = standby.call("GET", "/api/ops/pipeline", null).body();
                JsonNode relay = pipeline.get("relay");
                assertThat(relay.get("state").asString()).isEqualTo("RUNNING");
                assertThat(relay.get("leader").asBoolean()).isTrue();
                assertThat(relay.get("leaderInstance").asString()).isEqualTo(LEADER);
                assertThat(relay.get("lagSeconds").asDouble()).isEqualTo(1.5);
                assertThat(relay.get("retainedWalBytes").asLong()).isEqualTo(123456);
                assertThat(relay.get("stale").asBoolean()).isFalse();
                assertThat(pipeline.get("answeredBy").asString()).isNotEqualTo(LEADER);
            });

            // The leader still holds its lease but stopped reporting three leases ago (30 s by default).
            standbyDatabase.sql("UPDATE relay_state SET updated_at = now() - interval '31 seconds' WHERE slot = :slot")
                    .param("slot", slot).update();

            JsonNode stale = standby.call("GET", "/api/ops/pipeline", null).body().get("relay");
            assertThat(stale.get("stale").asBoolean()).isTrue();
            assertThat(stale.get("reportAgeSeconds").asDouble()).isGreaterThanOrEqualTo(31);
            assertThat(stale.get("leaderInstance").asString()).isEqualTo(LEADER);
            assertThat(stale.get("reportedBy").asString()).isEqualTo(LEADER);
        }
    }

    private List<String> windowErrorFields(String filter) {
        Orders.Response refused = ops("POST", "/api/ops/notifications/replay", filter);
        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(400);
        assertThat(refused.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(refused.body().get("type").asString()).isEqualTo("/problems/validation");
        return refused.body().get("errors").findValuesAsString("field");
    }

    @Test
    void replayByOrderId() {
        String orderId = place("By order");
        // DELIVERED, not only accepted by Telegram: until the ledger records the answer, the row is leased.
        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(statusOf(orderId)));

        assertThat(ops("POST", "/api/ops/orders/" + orderId + "/replay", null).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> telegram.acceptedMentioning(orderId).size() == 2);
        Orders.Response none = ops("POST", "/api/ops/orders/" + UUID.randomUUID() + "/replay", null);
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.body().get("type").asString()).isEqualTo("/problems/not-found");
    }

    @Test
    void pauseStopsSendingAndResumeDrains() {
        assertThat(ops("POST", "/api/ops/delivery/pause", null).body().get("paused").asBoolean()).isTrue();
        List<String> waiting = List.of(place("Paused 1"), place("Paused 2"));
        await().atMost(Duration.ofSeconds(20)).until(() -> waiting.stream().allMatch(id -> "PENDING".equals(statusOf(id))
                && jdbc.sql("SELECT count(*) FROM notification WHERE order_id = CAST(? AS uuid)").param(id)
                        .query(Long.class).single() == 1));
        // Registered, and still not sent after well over a poll interval.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> waiting.stream().allMatch(id -> telegram.requestsMentioning(id).isEmpty()));
        assertThat(ops("GET", "/api/ops/pipeline", null).body().get("delivery").get("pausedBy").asString())
                .isEqualTo(DukanTestContext.OPS_USER);

        assertThat(ops("POST", "/api/ops/delivery/resume", null).body().get("paused").asBoolean()).isFalse();
        for (String id : waiting) {
            await().atMost(Duration.ofSeconds(20)).until(() -> telegram.acceptedMentioning(id).size() == 1);
        }
    }

    @Test
    void auditListsEachActionWithWhoAskedAndWhen() {
        String orderId = place("Audited");
        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(statusOf(orderId)));
        String eventId = eventOf(orderId);
        Instant before = Instant.now().minusSeconds(1);

        ops("POST", "/api/ops/delivery/pause", null);
        ops("POST", "/api/ops/delivery/resume", null);
        ops("POST", "/api/ops/notifications/" + eventId + "/replay", null);
        ops("POST", "/api/ops/notifications/replay", "{\"status\":\"DEAD\",\"dryRun\":true}");

        JsonNode audit = ops("GET", "/api/ops/audit?limit=4", null).body();
        assertThat(audit.findValuesAsString("action")).containsExactly("REPLAY_DRY_RUN", "REPLAY", "RESUME", "PAUSE");
        assertThat(audit.findValuesAsString("actor")).containsOnly(DukanTestContext.OPS_USER);
        assertThat(audit.get(1).get("target").asString()).contains(eventId);
        assertThat(audit.get(1).get("count").asInt()).isEqualTo(1);
        assertThat(Instant.parse(audit.get(3).get("at").asString())).isAfter(before);
    }

    @Test
    void badOpsInputIsAProblemNotAnError() {
        assertProblem(ops("GET", "/api/ops/notifications?status=LOST", null), 400, "/problems/malformed-request");
        Orders.Response outOfBounds = ops("GET", "/api/ops/notifications?limit=0", null);
        assertProblem(outOfBounds, 400, "/problems/validation");
        assertThat(outOfBounds.body().get("errors").findValuesAsString("field")).containsExactly("limit");
        assertProblem(ops("GET", "/api/ops/notifications/not-a-uuid", null), 400, "/problems/malformed-request");
        assertProblem(ops("POST", "/api/ops/notifications/replay", "{}"), 400, "/problems/validation");
        assertProblem(ops("GET", "/api/ops/notifications/" + UUID.randomUUID(), null), 404, "/problems/not-found");
    }

    private static void assertProblem(Orders.Response response, int status, String type) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
        assertThat(response.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                value -> assertThat(value).startsWith("application/problem+json"));
        assertThat(response.body().get("type").asString()).isEqualTo(type);
    }

    private String place(String name) {
        Orders.Response placed = http.place(Orders.order(name + " " + UUID.randomUUID(), null, "TEA-001"));
        assertThat(placed.status()).isEqualTo(201);
        return placed.id();
    }

    private String statusOf(String orderId) {
        return http.get(orderId).body().get("notification").get("status").asString();
    }

    private String eventOf(String orderId) {
        return jdbc.sql("SELECT event_id::text FROM notification WHERE order_id = CAST(? AS uuid)").param(orderId)
                .query(String.class).single();
    }

    private Orders.Response ops(String method, String path, String body) {
        return new OpsClient(port).call(method, path, body);
    }

    private Orders.Response send(String method, String path, String body, String authorization) {
        return new OpsClient(port).send(method, path, body, authorization);
    }

    private static String basic(String user, String password) {
        return OpsClient.basic(user, password);
    }
}
