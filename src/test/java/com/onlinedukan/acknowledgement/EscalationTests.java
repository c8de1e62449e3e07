package com.onlinedukan.acknowledgement;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * Property: an order nobody takes gets exactly one reminder, a reply to its own message in the
 * staff chat, no sooner than {@code acknowledge-within} after its message, and exactly one
 * escalation message, no sooner than a second period later; an order taken before a step gets
 * none of the steps after it. A module test ({@link DownstreamModuleTest}).
 */
@DownstreamModuleTest
@TestPropertySource(properties = { "dukan.notification.acknowledge-within=3s",
        "dukan.notification.escalation-chat-id=" + EscalationTests.ESCALATION_CHAT })
class EscalationTests {

    static final String ESCALATION_CHAT = "-1009999999999";
    static final Duration WITHIN = Duration.ofSeconds(3);

    @Autowired
    FakeBotApi telegram;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    OrderEvents events;

    @Test
    void anOrderNobodyTakesIsRemindedOnceThenEscalatedOnceAndATakenOneIsLeftAlone() {
        StaffConversation staff = telegram.staff();
        List<String> ids = events.placeMany("Nobody takes me", 3);
        String taken = ids.get(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> !staff.sentMentioning(id).isEmpty()));
        Sent takenMessage = staff.sentMentioning(taken).get(0);
        staff.press(takenMessage, takenMessage.callbackData().indexOf(buttonOf(taken)), 3001, "Quick");
        await().atMost(Duration.ofSeconds(30)).until(() -> stage(taken).equals("TAKEN"));

        for (String id : ids.subList(0, 2)) {
            Sent message = staff.sentMentioning(id).get(0);
            Instant delivered = deliveredAt(id);
            await().atMost(Duration.ofSeconds(40)).until(() -> reminders(staff, message, id).size() == 1);
            await().atMost(Duration.ofSeconds(40)).until(() -> escalations(staff, id).size() == 1);
            assertThat(stage(id)).isEqualTo("ESCALATED");
            assertThat(remindedAt(staff, message, id)).isAfterOrEqualTo(delivered.plus(WITHIN));
        }
        // Well past another period: still one of each, and nothing for the order that was taken.
        await().during(WITHIN.multipliedBy(2)).atMost(WITHIN.multipliedBy(3)).until(() -> ids.subList(0, 2).stream()
                .allMatch(id -> reminders(staff, staff.sentMentioning(id).get(0), id).size() == 1
                        && escalations(staff, id).size() == 1));
        assertThat(staff.sentTo(ESCALATION_CHAT).stream().filter(s -> s.text().contains(taken))).isEmpty();
        assertThat(staff.repliesTo(takenMessage.messageId()).stream().filter(s -> s.text().contains(taken))).isEmpty();
    }

    private static List<Sent> reminders(StaffConversation staff, Sent message, String orderId) {
        return staff.repliesTo(message.messageId()).stream().filter(s -> s.text().contains(orderId)).toList();
    }

    private static List<Sent> escalations(StaffConversation staff, String orderId) {
        return staff.sentTo(ESCALATION_CHAT).stream().filter(s -> s.text().contains(orderId)).toList();
    }

    private Instant remindedAt(StaffConversation staff, Sent message, String orderId) {
        // The fake records when each call arrived; a reminder's arrival is its send.
        return staff.arrivedAt(reminders(staff, message, orderId).get(0));
    }

    private String stage(String orderId) {
        return jdbc.sql("SELECT stage FROM order_acknowledgement WHERE order_id = CAST(? AS uuid)").param(orderId)
                .query(String.class).optional().orElse("");
    }

    private Instant deliveredAt(String orderId) {
        return jdbc.sql("SELECT delivered_at FROM order_acknowledgement WHERE order_id = CAST(? AS uuid)").param(orderId)
                .query(java.sql.Timestamp.class).single().toInstant();
    }

    private String buttonOf(String orderId) {
        return OrderButton.callbackData(jdbc.sql("SELECT event_id FROM notification WHERE order_id = CAST(? AS uuid)")
                .param(orderId).query(UUID.class).single());
    }
}
