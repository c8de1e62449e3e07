package com.onlinedukan.notification;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Ledger;
import com.onlinedukan.support.OpsClient;
import com.onlinedukan.support.Orders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Telegram's answers are judged by whom they concern, not by their wording (ARCHITECTURE.md,
 * "Telegram's answers, judged"): only an error proven to be about one message (the allow-list in
 * {@code telegram.BotApi}) makes a notification DEAD; any other refusal, worded in a way nobody
 * listed, pauses delivery with {@code pausedBy telegram} and loses nothing, and a resume or a
 * successful probe drains all that waited, each once. A digest refused for one order finds it by
 * halving. A probe never lifts an SRE's pause. Telegram's pauses and the probe's resumes are audited.
 */
@DukanTest
@TestPropertySource(properties = {
        "dukan.notification.retry.initial-backoff=100ms",
        "dukan.notification.retry.max-backoff=500ms",
        "dukan.notification.retry-poll-interval=100ms",
        "dukan.notification.refusal-probe-interval=1s",
        "dukan.telegram.rate.per-chat-per-minute=6000",
        "dukan.telegram.rate.per-chat-per-second=100" })
class TelegramJudgementTests {

    /** Refusals nobody wrote a pattern for, of every status Telegram refuses with. */
    static final List<Refusal> UNFAMILIAR = List.of(
            new Refusal(400, "Bad Request: PEER_ID_INVALID"),
            new Refusal(403, "Forbidden: bot can't initiate conversation with a user"),
            new Refusal(404, "Not Found: the chat went fishing " + UUID.randomUUID()),
            new Refusal(400, "Bad Request: CHAT_RESTRICTED"),
            new Refusal(400, "Bad Request: " + words(new Random(), 4)));

    record Refusal(int status, String description) {
    }

    @LocalServerPort
    int port;

    @Autowired
    FakeBotApi telegram;

    @Autowired
    JdbcClient jdbc;

    Orders orders;
    OpsClient ops;
    Ledger ledger;

    @BeforeEach
    void setUp() {
        orders = new Orders(port);
        ops = new OpsClient(port);
        ledger = new Ledger(jdbc);
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.waiting() == 0);
    }

    @AfterEach
    void tearDown() {
        telegram.release();
        telegram.recover();
        telegram.clearScript();
        ops.call("POST", "/api/ops/delivery/resume", null);
    }

    /**
     * For every unfamiliar refusal: delivery pauses by {@code telegram} with Telegram's words,
     * nothing is DEAD (the notification whose send revealed it waits too), nothing more is sent;
     * once the chat is fixed, a resume (even rounds) or the probe (odd rounds, audited as
     * {@code probe}) delivers each order once. Telegram's pause is audited as {@code telegram}.
     */
    @Test
    void anyRefusalNotProvenAboutTheMessagePausesDeliveryAndLosesNothing() {
        for (int round = 0; round < UNFAMILIAR.size(); round++) {
            Refusal refusal = UNFAMILIAR.get(round);
            long deadBefore = ledger.count("DEAD");
            telegram.failAll(refusal.status(), refusal.description());
            List<String> ids = orders.placeMany("Refused " + round, 3);

            await().atMost(Duration.ofSeconds(20)).until(() -> delivery().get("paused").asBoolean());
            JsonNode delivery = delivery();
            assertThat(delivery.get("pausedBy").asString()).as(refusal.toString()).isEqualTo("telegram");
            assertThat(delivery.get("reason").asString()).contains(refusal.description());
            await().atMost(Duration.ofSeconds(20)).until(() -> registered(ids) == ids.size());
            int tried = telegram.requests().size();
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> telegram.requests().size() == tried);
            assertThat(ledger.count("DEAD")).as("dead after " + refusal).isEqualTo(deadBefore);
            assertThat(audited("telegram", "PAUSE", refusal.description())).as("Telegram's pause audited").isTrue();

            telegram.recover();
            boolean byProbe = round % 2 == 1;
            if (!byProbe) {
                assertThat(ops.call("POST", "/api/ops/delivery/resume", null).status()).isEqualTo(200);
            }
            telegram.awaitEachAcceptedOnce(ids, Duration.ofSeconds(30));
            assertThat(ledger.count("DEAD")).isEqualTo(deadBefore);
            if (byProbe) {
                assertThat(audited("probe", "RESUME", refusal.description())).as("the probe's resume audited").isTrue();
            }
        }
    }

    /**
     * Whatever Telegram's description holds (NUL and every other control character, unpaired
     * surrogates, text from any plane, 100 KB of it), the answer is recorded at once: a 5xx as a
     * RETRYING attempt, then the order is delivered once; a wording about the message as DEAD. The
     * recorded error is readable (controls as {@code \\uXXXX}, at most 2,000 characters). A NUL
     * once made PostgreSQL refuse the write, and the send was made again at every lease, for ever.
     */
    @Test
    void whateverTelegramsDescriptionHoldsTheAnswerIsRecorded() {
        Random random = new Random();
        List<String> descriptions = List.of("Upstream\u0000Error", controls(), "Half \ud800 a pair \udfff",
                "Upstream " + anyText(random, 100_000), "<html>\u0000\r\n</html>", anyText(random, 300));
        for (int round = 0; round < descriptions.size(); round++) {
            String description = descriptions.get(round);
            String orderId;
            if (round % 2 == 0) {
                telegram.failNext(1, 502, description);
                orderId = orders.placeMany("Odd answer " + round, 1).get(0);
                telegram.awaitEachAcceptedOnce(List.of(orderId), Duration.ofSeconds(20));
                // Telegram has it; the ledger records the answer a moment later.
                int r = round;
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ledger.history(orderId))
                        .as("round %d", r).hasSize(2).last().isEqualTo("DELIVERED"));
            }
            else {
                String marker = "Odd" + Long.toHexString(random.nextLong());
                telegram.refuseMessagesMentioning(marker, 400, "Bad Request: message is too long " + description);
                orderId = orders.place(Orders.order(marker, null, "A")).id();
                await().atMost(Duration.ofSeconds(20)).alias("round " + round).until(() -> "DEAD".equals(status(orderId)));
                telegram.clearScript();
            }
            String error = jdbc.sql("""
                    SELECT a.error FROM notification_attempt a JOIN notification n ON n.event_id = a.event_id
                     WHERE n.order_id = CAST(? AS uuid) AND a.error IS NOT NULL""").param(orderId).query(String.class).single();
            assertThat(error).as("round %d", round).hasSizeLessThanOrEqualTo(2100).doesNotContain("\u0000");
            assertThat(error.codePoints()).noneMatch(c -> Character.getType(c) == Character.CONTROL
                    || Character.getType(c) == Character.SURROGATE);
            if (round == 0) {
                assertThat(error).contains("Upstream\\u0000Error");
            }
            assertThat(delivery().get("paused").asBoolean()).isFalse();
        }
    }

    /**
     * An answer that is no Bot API answer at all, under any status (a proxy's HTML page, an empty or
     * cut body, JSON of another shape), is tried again and pauses nothing; its reason says what came.
     * Such an answer once paused all delivery as a refusal of the bot, with the reason "0 null".
     */
    @Test
    void anAnswerThatIsNotTheBotApisIsTriedAgainAndPausesNothing() {
        Random random = new Random();
        List<Refusal> answers = List.of(
                new Refusal(502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"),
                new Refusal(200, "<!DOCTYPE html><html><body>Access denied by the proxy</body></html>"),
                new Refusal(200, ""),
                new Refusal(200, "{\"ok\":true,\"result\":true}"),
                new Refusal(200, "{\"ok\":true,\"result\":{\"message_id\":"),
                new Refusal(504, anyText(random, 200)),
                new Refusal(403, "Forbidden"));
        for (int round = 0; round < answers.size(); round++) {
            Refusal answer = answers.get(round);
            telegram.answerAllWith(answer.status(), answer.description());
            String orderId = orders.placeMany("Not an answer " + round, 1).get(0);
            await().atMost(Duration.ofSeconds(20)).alias(answer.toString())
                    .until(() -> "RETRYING".equals(status(orderId)));
            String error = jdbc.sql("SELECT last_error FROM notification WHERE order_id = CAST(? AS uuid)")
                    .param(orderId).query(String.class).single();
            assertThat(error).as(answer.toString()).contains("not the Bot API's");
            assertThat(delivery().get("paused").asBoolean()).as(answer.toString()).isFalse();

            telegram.recover();
            telegram.awaitEachAcceptedOnce(List.of(orderId), Duration.ofSeconds(20));
            assertThat(delivery().get("paused").asBoolean()).isFalse();
        }
    }

    private static String controls() {
        StringBuilder all = new StringBuilder("Bad Gateway ");
        for (char c = 0; c < 0x20; c++) {
            all.append(c);
        }
        return all.append('\u007f').append('\u0085').append('\u009f').toString();
    }

    /** Code points from every plane, unpaired surrogates among them. */
    private static String anyText(Random random, int length) {
        return random.ints(length, 0, 0x110000)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /** For several known wordings about one message: exactly that notification is DEAD, the others go, nothing pauses. */
    @Test
    void anErrorAboutTheMessageMakesExactlyThatNotificationDead() {
        List<String> wordings = List.of(
                "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 17",
                "Bad Request: message is too long",
                "Bad Request: text must be non-empty");
        for (String wording : wordings) {
            String bad = "Bad" + Long.toHexString(new Random().nextLong());
            telegram.refuseMessagesMentioning(bad, 400, wording);
            List<String> good = new ArrayList<>(orders.placeMany("Fine", 1));
            String badId = orders.place(Orders.order(bad, null, "A")).id();
            good.addAll(orders.placeMany("Fine", 1));

            telegram.awaitEachAcceptedOnce(good, Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(20)).until(() -> "DEAD".equals(status(badId)));
            assertThat(telegram.acceptedMentioning(badId)).isEmpty();
            assertThat(ledger.history(badId)).as(wording).last().isEqualTo("PERMANENT");
            assertThat(delivery().get("paused").asBoolean()).as("paused after " + wording).isFalse();
        }
    }

    /**
     * A digest refused for one order finds it by halving: the others are delivered once, that
     * order alone is DEAD, and it costs at most 1 + 2·log2(n) sends, not one per order (one more when two
     * senders, waking at the resume, claim the n as two digests: 10 for 16 was seen once in CI); wherever
     * the bad order sits in the digest.
     */
    @Test
    void aDigestRefusedForOneOrderFindsItByHalvingAndDeliversTheRest() {
        int n = 16;
        Random random = new Random();
        for (int round = 0; round < 2; round++) {
            String bad = "Bad" + Long.toHexString(random.nextLong());
            telegram.refuseMessagesMentioning(bad, 400, "Bad Request: can't parse entities: Can't find end of the entity "
                    + "starting at byte offset " + random.nextInt(4000));
            assertThat(ops.call("POST", "/api/ops/delivery/pause", null).status()).isEqualTo(200);
            int badAt = random.nextInt(n);
            List<String> good = new ArrayList<>();
            String badId = null;
            for (int i = 0; i < n; i++) {
                if (i == badAt) {
                    badId = orders.place(Orders.order(bad, null, "A")).id();
                }
                else {
                    good.addAll(orders.placeMany("Digest", 1));
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> ledger.waiting() == n);
            int before = telegram.requests().size();

            assertThat(ops.call("POST", "/api/ops/delivery/resume", null).status()).isEqualTo(200);
            telegram.awaitEachAcceptedOnce(good, Duration.ofSeconds(30));
            String dead = badId;
            await().atMost(Duration.ofSeconds(20)).until(() -> "DEAD".equals(status(dead)));
            int sends = telegram.requests().size() - before;
            assertThat(sends).as("sends to isolate order %d of %d", badAt, n).isLessThanOrEqualTo(1 + 2 * 4 + 1);
            assertThat(telegram.acceptedMentioning(badId)).isEmpty();
            assertThat(delivery().get("paused").asBoolean()).isFalse();
            telegram.clearScript();
        }
    }

    /**
     * A probe in flight when an SRE pauses delivery finds Telegram fine, and the SRE's pause
     * stays: nothing is sent until the SRE resumes.
     */
    @Test
    void aProbeNeverLiftsAPauseAnSreTook() {
        telegram.failAll(400, "Bad Request: PEER_ID_INVALID");
        List<String> ids = orders.placeMany("Held", 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> delivery().get("paused").asBoolean());
        await().atMost(Duration.ofSeconds(20)).until(() -> registered(ids) == ids.size());

        telegram.hold();
        telegram.recover();
        int lookups = telegram.chatLookups().size();
        await().atMost(Duration.ofSeconds(10)).until(() -> telegram.chatLookups().size() > lookups);
        assertThat(ops.call("POST", "/api/ops/delivery/pause", null).status()).isEqualTo(200);
        int sent = telegram.requests().size();
        telegram.release();

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                delivery().get("paused").asBoolean()
                        && DukanTestContext.OPS_USER.equals(delivery().get("pausedBy").asString())
                        && telegram.requests().size() == sent);
        assertThat(ops.call("POST", "/api/ops/delivery/resume", null).status()).isEqualTo(200);
        telegram.awaitEachAcceptedOnce(ids, Duration.ofSeconds(30));
    }

    private boolean audited(String actor, String action, String why) {
        for (JsonNode entry : ops.call("GET", "/api/ops/audit?limit=50", null).body()) {
            if (actor.equals(entry.get("actor").asString()) && action.equals(entry.get("action").asString())
                    && entry.get("target").asString().contains(why)) {
                return true;
            }
        }
        return false;
    }

    private static String words(Random random, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : " ").append(Long.toString(Math.abs(random.nextLong()), 36));
        }
        return text.toString();
    }

    private long registered(List<String> ids) {
        return jdbc.sql("SELECT count(*) FROM notification WHERE order_id IN (:ids)")
                .param("ids", ids.stream().map(UUID::fromString).toList()).query(Long.class).single();
    }

    private String status(String orderId) {
        return orders.get(orderId).body().get("notification").get("status").asString();
    }

    private JsonNode delivery() {
        return ops.call("GET", "/api/ops/pipeline", null).body().get("delivery");
    }
}
