package com.onlinedukan.acknowledgement;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import com.onlinedukan.notification.OrderButton;
import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.DukanTestContext.TestDatabase;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Instances;
import com.onlinedukan.support.StaffConversation;
import com.onlinedukan.support.StaffConversation.Sent;
import com.onlinedukan.telegram.StaffBot;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Property: across instances and restarts, each order is taken once, by the first press applied,
 * and each press is applied once: two instances pressing at the same moment make one
 * acknowledgement and the other press is answered "already taken"; a press made while every
 * instance is down is applied once after the start and never again after a further restart;
 * only one instance polls the bot at a time.
 */
@Tag("full-stack")
class AcknowledgementAcrossInstancesTests {

    static final String[] FAST = { "--server.port=0", "--dukan.relay.leadership-check-interval=500ms",
            "--dukan.notification.updates-poll-wait=1s" };

    @RegisterExtension
    final Instances instances = new Instances(FAST);
    final FakeBotApi telegram = instances.alongside(FakeBotApi.start());

    @Test
    void pressesAtTheSameMomentOnTwoInstancesMakeOneAcknowledgement() throws Exception {
        ConfigurableApplicationContext a = instances.start(DukanTestContext.firstOf(telegram));
        TestDatabase database = a.getBean(TestDatabase.class);
        ConfigurableApplicationContext b = instances.start(DukanTestContext.sharing(database, telegram));
        List<String> ids = Instances.place(a, "Raced", 8);
        StaffConversation staff = telegram.staff();
        await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> !staff.sentMentioning(id).isEmpty()));
        JdbcClient jdbc = a.getBean(JdbcClient.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("SELECT count(*) FROM order_acknowledgement")
                .query(Long.class).single() == ids.size());

        // As a webhook delivers them to whichever instance: two presses of each order, at once, one per instance.
        long update = 500_000;
        for (String id : ids) {
            UUID eventId = jdbc.sql("SELECT event_id FROM notification WHERE order_id = CAST(? AS uuid)").param(id)
                    .query(UUID.class).single();
            Sent message = staff.sentMentioning(id).get(0);
            StaffBot.Press onA = press(++update, 1, "On A", eventId, message);
            StaffBot.Press onB = press(++update, 2, "On B", eventId, message);
            CyclicBarrier together = new CyclicBarrier(2);
            var first = CompletableFuture.supplyAsync(() -> applyAt(together, a, onA));
            var second = CompletableFuture.supplyAsync(() -> applyAt(together, b, onB));
            List<Presses.Outcome> outcomes = List.of(first.get(), second.get());
            assertThat(outcomes).filteredOn(o -> o instanceof Presses.Took).hasSize(1);
            assertThat(outcomes).filteredOn(o -> o instanceof Presses.AlreadyTaken).hasSize(1);
            String winner = outcomes.get(0) instanceof Presses.Took ? "On A" : "On B";
            String loserQuery = winner.equals("On A") ? onB.callbackQueryId() : onA.callbackQueryId();
            assertThat(jdbc.sql("SELECT taken_by_name FROM order_acknowledgement WHERE event_id = ?").param(eventId)
                    .query(String.class).single()).isEqualTo(winner);
            assertThat(staff.calls("answerCallbackQuery").stream()
                    .filter(c -> loserQuery.equals(c.text("callback_query_id"))).map(c -> c.text("text")))
                    .singleElement().asString().startsWith("Already taken by " + winner);
        }
        // The two instances never polled at once (the fake refuses a second poller with 409, as Telegram does).
        assertThat(staff.polls()).isPositive();
    }

    @Test
    void aPressWhileTheServiceIsDownIsAppliedOnceAfterTheStartAndNeverAgain() {
        ConfigurableApplicationContext first = instances.start(DukanTestContext.firstOf(telegram));
        TestDatabase database = first.getBean(TestDatabase.class);
        List<String> ids = Instances.place(first, "Pressed while down", 3);
        StaffConversation staff = telegram.staff();
        await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> !staff.sentMentioning(id).isEmpty()));
        JdbcClient jdbc = first.getBean(JdbcClient.class);
        List<String> buttons = new ArrayList<>();
        for (String id : ids) {
            buttons.add(OrderButton.callbackData(jdbc.sql("SELECT event_id FROM notification WHERE order_id = CAST(? AS uuid)")
                    .param(id).query(UUID.class).single()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count(jdbc, "SELECT count(*) FROM order_acknowledgement") == 3);
        first.close();

        List<Long> presses = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Sent message = staff.sentMentioning(ids.get(i)).get(0);
            presses.add(staff.press(message, message.callbackData().indexOf(buttons.get(i)), 100 + i, "While down " + i));
            presses.add(staff.press(message, message.callbackData().indexOf(buttons.get(i)), 200 + i, "Later " + i));
        }
        ConfigurableApplicationContext second = instances.start(DukanTestContext.sharing(database, telegram));
        await().atMost(Duration.ofSeconds(60)).until(() -> presses.stream().allMatch(p -> !staff.answersTo(p).isEmpty()));
        await().atMost(Duration.ofSeconds(30)).until(() -> staff.unconfirmed() == 0);
        second.close();

        ConfigurableApplicationContext third = instances.start(DukanTestContext.sharing(database, telegram));
        JdbcClient again = third.getBean(JdbcClient.class);
        long polls = staff.polls();
        await().atMost(Duration.ofSeconds(60)).until(() -> staff.polls() > polls + 1);
        for (int i = 0; i < ids.size(); i++) {
            assertThat(count(again, "SELECT count(*) FROM order_acknowledgement WHERE stage = 'TAKEN' AND taken_by_name = '"
                    + "While down " + i + "'")).isEqualTo(1);
        }
        for (long press : presses) {
            assertThat(staff.answersTo(press)).as("answers to press " + press).hasSize(1);
        }
        assertThat(third.isActive()).isTrue();
    }

    private static StaffBot.Press press(long updateId, long userId, String name, UUID eventId, Sent message) {
        return new StaffBot.Press(updateId, "q" + updateId, userId, name, OrderButton.callbackData(eventId),
                message.chatId(), message.messageId());
    }

    private static Presses.Outcome applyAt(CyclicBarrier together, ConfigurableApplicationContext instance,
            StaffBot.Press press) {
        try {
            together.await();
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return instance.getBean(Presses.class).apply(press);
    }

    private static long count(JdbcClient jdbc, String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
