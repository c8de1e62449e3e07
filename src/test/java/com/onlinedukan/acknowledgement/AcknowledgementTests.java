package com.onlinedukan.acknowledgement;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.onlinedukan.notification.OrderButton;
import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.OpsClient;
import com.onlinedukan.support.Orders;
import com.onlinedukan.support.StaffConversation;
import com.onlinedukan.support.StaffConversation.Sent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Property: every press on an order's button is applied exactly once, and the first press on an
 * order is the one acknowledgement it ever gets: later presses, presses Telegram serves again, and
 * presses with data that is not a take button's change nothing recorded and are answered; the
 * message then names who took the order and keeps only the buttons of orders still waiting; an
 * edit Telegram refuses loses no acknowledgement and never stops the poller. Presses reach the
 * service as Telegram serves them, through {@code getUpdates} on the fake Bot API.
 */
@DukanTest
class AcknowledgementTests {

    static final Duration WITHIN = Duration.ofSeconds(30);

    @Autowired
    FakeBotApi telegram;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    tools.jackson.databind.json.JsonMapper json;

    @Autowired
    MessageEdits edits;

    @Autowired
    com.onlinedukan.telegram.StaffBot bot;

    @Autowired
    com.onlinedukan.notification.Notifications notifications;

    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactions;

    @LocalServerPort
    int port;

    StaffConversation staff() {
        return telegram.staff();
    }

    @Test
    void thePressTakesTheOrderAndTheMessageSaysWhoTookItAndWhen() {
        Orders orders = new Orders(port);
        String orderId = orders.placeMany("Press me", 1).get(0);
        Sent message = sentFor(orderId);
        assertThat(message.callbackData()).contains(buttonOf(orderId));
        assertThat(message.callbackData()).allMatch(data -> data.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 64);
        assertThat(orders.get(orderId).body().get("notification").get("acknowledgedAt").isNull()).isTrue();

        long update = press(orderId, 7001, "Dilnoza");

        await().atMost(WITHIN).until(() -> !staff().answersTo(update).isEmpty());
        assertThat(staff().answersTo(update).get(0)).contains("is yours");
        await().atMost(WITHIN).until(() -> !staff().editsOf(message.messageId()).isEmpty());
        StaffConversation.Call edit = staff().editsOf(message.messageId()).get(0);
        assertThat(edit.method()).isEqualTo("editMessageText");
        assertThat(edit.text("text")).contains(orderId).contains("taken by <b>Dilnoza</b> at ").contains("UTC");
        assertThat(edit.body().get("reply_markup").get("inline_keyboard").findValuesAsString("callback_data"))
                .doesNotContain(buttonOf(orderId)).hasSize(message.callbackData().size() - 1);
        JsonNode notification = orders.get(orderId).body().get("notification");
        assertThat(notification.get("acknowledgedAt").isNull()).isFalse();

        JsonNode views = new OpsClient(port).call("GET", "/api/ops/notifications?orderId=" + orderId, null).body();
        assertThat(views.get(0).get("acknowledgedBy").get("name").asString()).isEqualTo("Dilnoza");
        assertThat(views.get(0).get("acknowledgedBy").get("id").asLong()).isEqualTo(7001);
        assertThat(views.get(0).get("acknowledgedAt").isNull()).isFalse();
        JsonNode ops = new OpsClient(port).call("GET", "/api/ops/acknowledgements", null).body();
        assertThat(ops.get("taken").findValuesAsString("orderId")).contains(orderId);
    }

    /**
     * A press that comes after Telegram took the message but before the service recorded it
     * DELIVERED (a commit retried under its claim is slow) still takes the order; the message is
     * edited once its delivery is recorded.
     */
    /**
     * Whoever presses, whatever their name holds (NUL and other controls, an unpaired surrogate,
     * text from any plane, a name longer than any column), the order is taken and the next press
     * is applied too: a name that PostgreSQL refused once stopped the poller at that update, and
     * every press after it waited behind it for ever.
     */
    @Test
    void aPressTakesTheOrderWhateverThePressersNameHolds() {
        Orders orders = new Orders(port);
        java.util.Random random = new java.util.Random();
        List<String> names = List.of("Ali\u0000Valiyev", "\u0007\u001b[31mRed\u0085", "Half \ud800 a pair",
                "\udc00\ud83d\ude00 emoji and a stray", "x".repeat(5000) + "\u0000",
                random.ints(64, 0, 0x10FFFF).filter(Character::isValidCodePoint)
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString());
        List<String> ids = orders.placeMany("Taken by anyone", names.size() + 1);
        for (int i = 0; i < names.size(); i++) {
            long update = press(ids.get(i), 7300 + i, names.get(i));
            String orderId = ids.get(i);
            await().atMost(WITHIN).alias(names.get(i)).until(() -> !staff().answersTo(update).isEmpty());
            assertThat(staff().answersTo(update).get(0)).contains("is yours");
            assertThat(takers(orderId)).singleElement().satisfies(taker -> {
                assertThat(taker).doesNotContain("\u0000").hasSizeLessThanOrEqualTo(200);
                assertThat(taker.codePoints()).noneMatch(c -> Character.getType(c) == Character.SURROGATE);
            });
        }
        long last = press(ids.get(names.size()), 7399, "Dilnoza");
        await().atMost(WITHIN).until(() -> !staff().answersTo(last).isEmpty());
        assertThat(takers(ids.get(names.size()))).containsExactly("Dilnoza");
        assertThat(takers(ids.get(0))).containsExactly("Ali\\u0000Valiyev");
    }

    @Test
    void aPressBeforeTheDeliveryIsRecordedStillTakesTheOrder() {
        java.util.concurrent.atomic.AtomicReference<String> placed = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicLong early = new java.util.concurrent.atomic.AtomicLong();
        telegram.beforeNextOkAnswer(() -> {
            await().atMost(WITHIN).until(() -> placed.get() != null);
            early.set(staff().press(buttonOf(placed.get()), 7101, "Early", DukanTestContext.CHAT_ID, 999_999));
            // Telegram's ok waits until the press has been answered: the press is applied before the delivery.
            await().atMost(WITHIN).until(() -> !staff().answersTo(early.get()).isEmpty());
        });
        Orders orders = new Orders(port);
        String orderId = orders.placeMany("Pressed early", 1).get(0);
        placed.set(orderId);
        Sent message = sentFor(orderId);

        await().atMost(WITHIN).until(() -> early.get() != 0 && !staff().answersTo(early.get()).isEmpty());
        assertThat(staff().answersTo(early.get()).get(0)).contains("is yours");
        assertThat(takers(orderId)).containsExactly("Early");
        await().atMost(WITHIN).until(() -> !orders.get(orderId).body().get("notification").get("acknowledgedAt").isNull());
        await().atMost(WITHIN).until(() -> staff().editsOf(message.messageId()).stream()
                .anyMatch(edit -> edit.text("text") != null && edit.text("text").contains(orderId)
                        && edit.text("text").contains("taken by <b>Early</b>")));
    }

    /**
     * The delivery's row can commit between a press's take (no row yet) and its look at the row (a row
     * nobody took): the press must still take the order, not be told "already taken" by nobody. The
     * commit is put exactly there, into the press's own judgement, by a ledger that inserts the row
     * the moment the first take has found none. (Against the packaged jar, bench/acknowledgement-run.sh
     * --one-by-one hit that moment in two runs of two: the first presser's press was lost and a second
     * user took the order.)
     */
    @Test
    void aPressWhoseOrderRowCommitsBetweenItsTakeAndItsLookStillTakesTheOrder() {
        UUID eventId = UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        AcknowledgementLedger rowAppearsAfterTheTake = new AcknowledgementLedger(jdbc, json) {
            boolean committed;

            @Override
            java.util.Optional<Row> take(UUID event, long userId, String userName) {
                java.util.Optional<Row> took = super.take(event, userId, userName);
                if (took.isEmpty() && !committed) {
                    committed = true;
                    jdbc.sql("""
                            INSERT INTO order_acknowledgement (event_id, order_id, chat_id, message_id, message_html,
                                                               position, committed_at, stage, next_step_at)
                            VALUES (:eventId, :orderId, :chatId, 4242, 'Order', 0, now(), 'WAITING', now() + interval '1 hour')
                            """).param("eventId", eventId).param("orderId", orderId)
                            .param("chatId", DukanTestContext.CHAT_ID).update();
                }
                return took;
            }
        };
        Presses presses = new Presses(rowAppearsAfterTheTake, edits, bot, notifications, transactions,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        long updateId = 9_000_000_000L + (System.nanoTime() & 0xFFFFFF);

        Presses.Outcome outcome = presses.apply(new com.onlinedukan.telegram.StaffBot.Press(updateId, "race-" + updateId,
                7301, "First", OrderButton.callbackData(eventId), DukanTestContext.CHAT_ID, 4242L));

        assertThat(outcome).isInstanceOf(Presses.Took.class);
        assertThat(jdbc.sql("SELECT stage || ' ' || taken_by_name FROM order_acknowledgement WHERE event_id = :id")
                .param("id", eventId).query(String.class).single()).isEqualTo("TAKEN First");
    }

    @Test
    void onlyTheFirstOfManyPressesCountsAndTheOthersAreToldWhoTookIt() {
        List<String> ids = new Orders(port).placeMany("Many hands", 3);
        for (int order = 0; order < ids.size(); order++) {
            Sent message = sentFor(ids.get(order));
            List<Long> presses = new ArrayList<>();
            // 2, 3, 4 people press the same button, queued together as Telegram would batch them.
            for (int hand = 0; hand < order + 2; hand++) {
                presses.add(press(ids.get(order), 8000 + hand, "Hand " + hand));
            }
            for (long update : presses) {
                await().atMost(WITHIN).until(() -> !staff().answersTo(update).isEmpty());
            }
            assertThat(staff().answersTo(presses.get(0)).get(0)).contains("is yours");
            for (long later : presses.subList(1, presses.size())) {
                assertThat(staff().answersTo(later)).singleElement().asString().startsWith("Already taken by Hand 0 at ");
            }
            assertThat(takers(ids.get(order))).containsExactly("Hand 0");
            await().atMost(WITHIN).until(() -> !staff().editsOf(message.messageId()).isEmpty());
        }
    }

    @Test
    void anUpdateServedAgainChangesNothing() {
        List<String> ids = new Orders(port).placeMany("Served again", 2);
        Sent first = sentFor(ids.get(0));
        Sent second = sentFor(ids.get(1));
        long update = press(ids.get(0), 9001, "First");
        await().atMost(WITHIN).until(() -> !staff().answersTo(update).isEmpty());

        // The same update id again, even carrying another press (on the other order, by someone else).
        String other = staff().lastServed(update).replace(buttonOf(ids.get(0)), buttonOf(ids.get(1)))
                .replace("\"id\":9001", "\"id\":9002").replace("\"message_id\":" + first.messageId(),
                        "\"message_id\":" + second.messageId());
        staff().serveAgain(update, staff().lastServed(update));
        staff().serveAgain(update, other);
        long marker = press(ids.get(0), 9003, "Marker");
        await().atMost(WITHIN).until(() -> !staff().answersTo(marker).isEmpty());

        assertThat(staff().answersTo(update)).hasSize(1);
        assertThat(takers(ids.get(0))).containsExactly("First");
        assertThat(takers(ids.get(1))).isEmpty();
        assertThat(staff().answersTo(marker).get(0)).startsWith("Already taken by First");
    }

    @Test
    void pressesThatAreNotTakeButtonsAreAnsweredAndThePollerGoesOn() {
        String orderId = new Orders(port).placeMany("After the junk", 1).get(0);
        Sent message = sentFor(orderId);
        List<String> junk = List.of("", "ack:", "ack:!!!!!!!!!!!!!!!!!!!!!!", "x".repeat(64), "ack:" + "A".repeat(40),
                "ACK:" + buttonOf(orderId).substring(4), buttonOf(orderId) + "=", " " + buttonOf(orderId), "ack:" + "é".repeat(22), "<b>ack</b>",
                OrderButton.callbackData(UUID.randomUUID()));
        List<Long> presses = new ArrayList<>();
        for (String data : junk) {
            presses.add(staff().press(data, 6000, "Prankster", message.chatId(), message.messageId()));
        }
        // Updates the library cannot read as a press, or that are no press at all.
        staff().update("\"callback_query\":{\"id\":\"junk\",\"from\":\"not a user\",\"data\":7}");
        staff().update("\"callback_query\":5");
        staff().update("\"message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":1,\"type\":\"private\"},\"text\":\"hi\"}");
        staff().update("");
        long real = press(orderId, 6001, "Real person");

        await().atMost(WITHIN).until(() -> !staff().answersTo(real).isEmpty());
        assertThat(staff().answersTo(real).get(0)).contains("is yours");
        for (long press : presses) {
            assertThat(staff().answersTo(press)).as("answer to a junk press").hasSize(1);
        }
        assertThat(takers(orderId)).containsExactly("Real person");
        await().atMost(WITHIN).until(() -> staff().unconfirmed() == 0);
    }

    @Test
    void anEditTelegramRefusesLosesNoAcknowledgementAndStopsNothing() {
        List<String> ids = new Orders(port).placeMany("Unedited", 2);
        staff().refuseEdits(1, "Bad Request: message is not modified: specified new message content and reply markup "
                + "are exactly the same as a current content and reply markup of the message");
        staff().refuseEdits(1, "Bad Request: message can't be edited");
        long first = press(ids.get(0), 5001, "One");
        long second = press(ids.get(1), 5002, "Two");
        await().atMost(WITHIN).until(() -> !staff().answersTo(second).isEmpty());
        assertThat(staff().answersTo(first)).hasSize(1);
        assertThat(takers(ids.get(0))).containsExactly("One");
        assertThat(takers(ids.get(1))).containsExactly("Two");
    }

    @Test
    void aPressOnADigestTakesThatOrderAloneAndKeepsTheOthersButtons() {
        // Four orders waiting together (delivery paused) go out as one digest when delivery resumes.
        notifications.pause("test", "four orders for one digest");
        List<String> ids;
        try {
            ids = new Orders(port).placeMany("Digest", 4);
            await().atMost(WITHIN).until(() -> jdbc.sql("SELECT count(*) FROM notification WHERE order_id IN (:ids)")
                    .param("ids", ids.stream().map(UUID::fromString).toList()).query(Long.class).single() == 4);
        }
        finally {
            notifications.resume("test");
        }
        await().atMost(WITHIN).until(() -> ids.stream().allMatch(id -> !staff().sentMentioning(id).isEmpty()));
        Sent digest = staff().sentMentioning(ids.get(3)).get(0);
        List<String> inDigest = ids.stream().filter(id -> digest.text().contains(id)).toList();
        assertThat(inDigest).as("orders in one digest").hasSizeGreaterThan(1);
        assertThat(digest.callbackData()).hasSize(inDigest.size());

        long press = press(inDigest.get(1), 4001, "Second button");
        await().atMost(WITHIN).until(() -> !staff().editsOf(digest.messageId()).isEmpty());
        assertThat(takers(inDigest.get(1))).containsExactly("Second button");
        for (String other : inDigest) {
            if (!other.equals(inDigest.get(1))) {
                assertThat(takers(other)).isEmpty();
            }
        }
        JsonNode buttons = staff().editsOf(digest.messageId()).get(0).body().get("reply_markup").get("inline_keyboard");
        assertThat(buttons).hasSize(inDigest.size() - 1);
        assertThat(buttons.findValuesAsString("callback_data")).doesNotContain(buttonOf(inDigest.get(1)))
                .containsExactlyElementsOf(digest.callbackData().stream()
                        .filter(data -> !data.equals(buttonOf(inDigest.get(1)))).toList());
        assertThat(staff().answersTo(press)).singleElement().asString().contains("is yours");
    }

    private Sent sentFor(String orderId) {
        await().atMost(WITHIN).until(() -> !staff().sentMentioning(orderId).isEmpty());
        return staff().sentMentioning(orderId).get(0);
    }

    /** A press on this order's own button, wherever it is (alone, or in a digest). */
    private long press(String orderId, long userId, String name) {
        Sent message = sentFor(orderId);
        return staff().press(message, message.callbackData().indexOf(buttonOf(orderId)), userId, name);
    }

    private String buttonOf(String orderId) {
        return OrderButton.callbackData(jdbc.sql("SELECT event_id FROM notification WHERE order_id = CAST(? AS uuid)")
                .param(orderId).query(UUID.class).single());
    }

    private List<String> takers(String orderId) {
        return jdbc.sql("SELECT taken_by_name FROM order_acknowledgement WHERE order_id = CAST(? AS uuid) AND stage = 'TAKEN'")
                .param(orderId).query(String.class).list();
    }
}
