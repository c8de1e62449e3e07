package com.onlinedukan.acknowledgement;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.onlinedukan.notification.OrderButton;
import com.onlinedukan.support.DownstreamModuleTest;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.OrderEvents;
import com.onlinedukan.support.StaffConversation;
import com.onlinedukan.support.StaffConversation.Sent;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Property: an acknowledgement row is kept while its order can still be pressed, reminded or
 * shown, and deleted after retention; a press for a purged order is answered clearly and changes
 * nothing. "Can still be pressed" is "the notification ledger still holds its notification" (a
 * press would then be taken as one before the delivery was recorded); "reminded" is a step still
 * to come (WAITING, REMINDED); "shown" is an edit still owed (taken, message not edited yet). Every
 * combination of stage, age and ledger is tried on real rows of real orders, with ages drawn at
 * random around the retention, and the leader's scheduled purge alone decides. A module test
 * ({@link DownstreamModuleTest}).
 */
@DownstreamModuleTest
@TestPropertySource(properties = { "dukan.notification.acknowledgement-retention=1h",
        "dukan.notification.retention.interval=1s" })
class AcknowledgementRetentionTests {

    static final Duration WITHIN = Duration.ofSeconds(60);
    static final Duration RETENTION = Duration.ofHours(1);

    /** What is left to do for a row, as a test sets it. */
    enum State {
        WAITING, REMINDED, ESCALATED, TAKEN_AND_SHOWN, TAKEN_EDIT_OWED;

        boolean settled() {
            return this == ESCALATED || this == TAKEN_AND_SHOWN;
        }
    }

    record Case(State state, boolean old, boolean ledgered) {

        boolean purged() {
            return state.settled() && old && !ledgered;
        }
    }

    @Autowired
    FakeBotApi telegram;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    OrderEvents orderEvents;

    private final Map<String, UUID> events = new HashMap<>();

    @Test
    void anAcknowledgementIsKeptWhileItsOrderCanBePressedRemindedOrShownAndPurgedAfterItsRetention() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<Case> cases = new ArrayList<>();
        for (State state : State.values()) {
            for (boolean old : new boolean[] { true, false }) {
                for (boolean ledgered : new boolean[] { true, false }) {
                    cases.add(new Case(state, old, ledgered));
                }
            }
        }
        java.util.Collections.shuffle(cases, random);
        List<String> orders = orderEvents.placeMany("Kept or purged", cases.size());
        await().atMost(WITHIN).until(() -> count("SELECT count(*) FROM order_acknowledgement") == cases.size());

        Map<String, Case> byOrder = new HashMap<>();
        for (int i = 0; i < cases.size(); i++) {
            byOrder.put(orders.get(i), cases.get(i));
            // Old: up to a day past the retention; recent: up to 50 minutes inside it.
            Duration age = cases.get(i).old() ? RETENTION.plusMinutes(1 + random.nextInt(24 * 60))
                    : RETENTION.minusMinutes(10 + random.nextInt(50));
            set(orders.get(i), cases.get(i), age);
        }

        List<String> purged = orders.stream().filter(id -> byOrder.get(id).purged()).toList();
        await("seed " + seed).atMost(WITHIN).until(() -> purged.stream().noneMatch(this::hasRow));
        for (String id : orders) {
            assertThat(hasRow(id)).as("seed %d: row of %s", seed, byOrder.get(id)).isEqualTo(!byOrder.get(id).purged());
        }

        // A message's text (staff_message, once per message) goes with the last of its orders, not before.
        StaffConversation staff = telegram.staff();
        java.util.Set<Sent> messages = new java.util.HashSet<>();
        orders.forEach(id -> messages.addAll(staff.sentMentioning(id)));
        eachTextLivesWithItsOrders(messages, seed);

        // A press on a purged order's button: answered clearly, and nothing comes back or changes.
        String gone = purged.get(0);
        Sent message = staff.sentMentioning(gone).get(0);
        int editsBefore = staff.editsOf(message.messageId()).size();
        long press = staff.press(message, message.callbackData().indexOf(buttonOf(gone)), 4401, "Too late");
        await().atMost(WITHIN).until(() -> !staff.answersTo(press).isEmpty());
        assertThat(staff.answersTo(press)).singleElement().asString().contains("no longer known");
        assertThat(hasRow(gone)).isFalse();
        assertThat(count("SELECT count(*) FROM notification WHERE order_id = '" + gone + "'")).isZero();
        assertThat(staff.editsOf(message.messageId())).hasSize(editsBefore);

        // An old escalated order the ledger still holds is kept, and a press still takes it.
        String kept = orders.stream().filter(id -> byOrder.get(id).equals(new Case(State.ESCALATED, true, true)))
                .findFirst().orElseThrow();
        Sent keptMessage = staff.sentMentioning(kept).get(0);
        long late = staff.press(keptMessage, keptMessage.callbackData().indexOf(buttonOf(kept)), 4402, "Still here");
        await().atMost(WITHIN).until(() -> !staff.answersTo(late).isEmpty());
        assertThat(staff.answersTo(late)).singleElement().asString().contains("is yours");

        // Once none of a message's orders is left, its text goes too.
        orders.stream().filter(this::hasRow).forEach(id -> set(id, new Case(State.ESCALATED, true, false), RETENTION.plusMinutes(5)));
        await("seed " + seed).atMost(WITHIN).until(() -> orders.stream().noneMatch(this::hasRow));
        eachTextLivesWithItsOrders(messages, seed);
    }

    /** A message's text is kept, as sent, exactly while some order's row points at the message. */
    private void eachTextLivesWithItsOrders(java.util.Set<Sent> messages, long seed) {
        for (Sent sent : messages) {
            long rows = count("SELECT count(*) FROM order_acknowledgement WHERE chat_id = '" + sent.chatId()
                    + "' AND message_id = " + sent.messageId());
            long texts = count("SELECT count(*) FROM staff_message WHERE chat_id = '" + sent.chatId()
                    + "' AND message_id = " + sent.messageId() + " AND html = " + quoted(sent.text()));
            assertThat(texts).as("seed %d: the text of message %d, which %d orders point at", seed, sent.messageId(), rows)
                    .isEqualTo(rows > 0 ? 1 : 0);
        }
    }

    /** Gives the order's row this state and age, and purges its notification as the ledger's retention does. */
    private void set(String orderId, Case c, Duration age) {
        UUID eventId = eventOf(orderId);
        events.put(orderId, eventId);
        String stage = c.state().name().startsWith("TAKEN") ? "TAKEN" : c.state().name();
        jdbc.sql("""
                UPDATE order_acknowledgement
                   SET stage = :stage, delivered_at = now() - make_interval(secs => :age),
                       next_step_at = CASE WHEN :stage IN ('WAITING', 'REMINDED') THEN now() + interval '1 day' END,
                       taken_at = CASE WHEN :stage = 'TAKEN' THEN now() END,
                       taken_by_id = CASE WHEN :stage = 'TAKEN' THEN 4400 END,
                       taken_by_name = CASE WHEN :stage = 'TAKEN' THEN 'Earlier' END,
                       edited = :edited
                 WHERE event_id = :eventId
                """)
                .param("stage", stage)
                .param("age", (double) age.toSeconds())
                .param("edited", c.state() == State.TAKEN_AND_SHOWN)
                .param("eventId", eventId)
                .update();
        if (!c.ledgered()) {
            // Outbox first, then the ledger: the order notification.Retention keeps.
            jdbc.sql("DELETE FROM outbox WHERE id = :id").param("id", eventId).update();
            jdbc.sql("DELETE FROM notification WHERE event_id = :id").param("id", eventId).update();
        }
    }

    private boolean hasRow(String orderId) {
        return count("SELECT count(*) FROM order_acknowledgement WHERE order_id = '" + orderId + "'") > 0;
    }

    private UUID eventOf(String orderId) {
        return jdbc.sql("SELECT event_id FROM order_acknowledgement WHERE order_id = CAST(? AS uuid)").param(orderId)
                .query(UUID.class).single();
    }

    private String buttonOf(String orderId) {
        return OrderButton.callbackData(events.get(orderId));
    }

    private static String quoted(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
