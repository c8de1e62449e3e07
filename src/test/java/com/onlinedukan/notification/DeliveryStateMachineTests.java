package com.onlinedukan.notification;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.onlinedukan.outbox.OutboxEvent;
import com.onlinedukan.support.DownstreamModuleTest;
import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.telegram.SendOutcome;
import com.onlinedukan.telegram.TelegramSender;
import com.onlinedukan.telegram.TelegramStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The notification module on its own (with what it depends on), its Telegram client replaced by
 * a script: each answer Telegram can give moves a notification as ARCHITECTURE.md's table says,
 * and only its own failures cost it attempts.
 */
@DownstreamModuleTest
@TestPropertySource(properties = {
        "dukan.notification.retry.initial-backoff=50ms",
        "dukan.notification.retry.max-backoff=100ms",
        "dukan.notification.retry.max-attempts=2",
        "dukan.notification.retry.give-up-after=1s",
        "dukan.notification.retry-poll-interval=50ms",
        "dukan.notification.refusal-probe-interval=300ms" })
class DeliveryStateMachineTests {

    @TestBean(methodName = "scriptedTelegram")
    TelegramSender telegram;

    @Autowired
    DeliveryLedger ledger;

    @Autowired
    Notifications notifications;

    @Autowired
    DeliveryControl control;

    @Autowired
    Delivery delivery;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    NotificationQueries queries;

    static TelegramSender scriptedTelegram() {
        return new ScriptedTelegram();
    }

    ScriptedTelegram script() {
        return (ScriptedTelegram) telegram;
    }

    @BeforeEach
    void idle() {
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                "SELECT count(*) FROM notification WHERE status IN ('PENDING', 'RETRYING')").query(Long.class).single() == 0);
        script().reset();
    }

    @Test
    void anOutageChargesNobodyAndTheNotificationIsDeliveredAfterIt() {
        script().answer(outage(), outage(), outage());
        UUID order = register();

        awaitStatus(order, "DELIVERED");
        assertThat(history(order)).containsExactly("OUTAGE", "OUTAGE", "OUTAGE", "DELIVERED");
        assertThat(attempts(order)).isEqualTo(1);
    }

    @Test
    void ownFailuresMakeItDeadOnlyOnceAttemptsAndTimeAreBothSpent() {
        for (int i = 0; i < 200; i++) {
            script().answer(new SendOutcome.Transient("500 Internal Server Error", false));
        }
        UUID order = register();

        awaitStatus(order, "DEAD");
        List<Instant> tries = jdbc.sql("""
                SELECT a.at FROM notification_history a JOIN notification n ON n.event_id = a.event_id
                 WHERE n.order_id = ? ORDER BY a.id""").param(order)
                .query((rs, row) -> rs.getTimestamp(1).toInstant()).list();
        assertThat(tries.size()).as("attempts: more than max-attempts, as give-up-after was not spent").isGreaterThan(2);
        assertThat(Duration.between(tries.get(0), tries.get(tries.size() - 1)))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(history(order)).containsOnly("TRANSIENT");
    }

    @Test
    void aRefusalPausesDeliveryChargesNobodyAndASuccessfulProbeResumesIt() {
        script().answer(new SendOutcome.Refused("400 Bad Request: chat not found"));
        script().probeAnswers(new SendOutcome.Refused("400 Bad Request: chat not found"), new SendOutcome.Delivered(0));
        UUID order = register();

        await().atMost(Duration.ofSeconds(5)).until(() -> notifications.pauseState().paused());
        assertThat(notifications.pauseState().pausedBy()).isEqualTo(DeliveryPause.BY_TELEGRAM);
        assertThat(notifications.pauseState().reason()).contains("chat not found");

        awaitStatus(order, "DELIVERED");
        assertThat(notifications.pauseState().paused()).isFalse();
        assertThat(script().probes()).isGreaterThanOrEqualTo(2);
        assertThat(history(order)).containsExactly("REFUSED", "DELIVERED");
        assertThat(attempts(order)).isEqualTo(1);
    }

    /**
     * A refusal recorded late (its write retried past a resume) does not pause delivery again: the
     * switch changed after its claim was made, so it is older news than the resume.
     */
    @Test
    void aRefusalWhoseClaimIsOlderThanTheLastResumeDoesNotPauseDeliveryAgain() {
        notifications.pause("test", "the test claims by hand");
        UUID order = register();
        Duration lease = Duration.ofSeconds(2);
        DeliveryLedger.Claim claim = ledger.claimDueWhilePaused("test", lease, 1000).stream()
                .filter(c -> c.orderId().equals(order)).findFirst().orElseThrow();
        notifications.resume("test");

        DeliveryPause after = control.pauseForRefusal("400 Bad Request: chat not found", claim, lease);

        assertThat(after.paused()).as("paused by a refusal older than the resume").isFalse();
        // Its lease runs out and the order goes as any other.
        awaitStatus(order, "DELIVERED");
    }

    /**
     * What the ops view shows of one notification is one moment of it: its status and its history
     * agree whenever it is read, also while the transition that changes both commits beside the read.
     */
    @Test
    void aNotificationsViewIsOneMomentItsStatusAndItsHistoryAgree() throws Exception {
        notifications.pause("test", "the test moves notifications by hand");
        try {
            for (int round = 0; round < 40; round++) {
                UUID order = register();
                DeliveryLedger.Claim claim = ledger.claimDueWhilePaused("test", Duration.ofSeconds(30), 1000).stream()
                        .filter(c -> c.orderId().equals(order)).findFirst().orElseThrow();
                long messageId = 1000 + round;
                CompletableFuture<Integer> delivered = CompletableFuture.supplyAsync(
                        () -> ledger.delivered(List.of(claim), messageId));
                NotificationView view;
                do {
                    view = queries.find(claim.eventId()).orElseThrow();
                    assertThat(view.history()).as("the history of a %s notification", view.status())
                            .map(NotificationView.Attempt::outcome)
                            .isEqualTo(view.status() == DeliveryStatus.DELIVERED ? List.of(AttemptOutcome.DELIVERED)
                                    : List.of());
                }
                while (view.status() != DeliveryStatus.DELIVERED);
                assertThat(delivered.get()).isEqualTo(1);
            }
        }
        finally {
            notifications.resume("test");
        }
    }

    /** A refused digest is halved, not sent one by one: each half goes as one message, and nothing dies. */
    @Test
    void aDigestTelegramRefusesIsHalvedAndNothingDies() {
        notifications.pause("test", "a backlog builds up");
        List<UUID> orders = List.of(register(), register(), register());
        script().answer(new SendOutcome.Permanent("400 Bad Request: can't parse entities"));
        notifications.resume("test");

        orders.forEach(order -> awaitStatus(order, "DELIVERED"));
        assertThat(script().texts()).hasSize(3);
        assertThat(script().texts().get(0)).contains("3 new orders");
        assertThat(script().texts().get(1)).contains("New order");
        assertThat(script().texts().get(2)).contains("2 new orders");
    }

    @Test
    void whatCouldNotBeSentIsReleasedWithoutAnAttempt() {
        script().answer(new SendOutcome.NotSent(Duration.ofMillis(100), "budget spent"));
        UUID order = register();

        awaitStatus(order, "DELIVERED");
        assertThat(history(order)).containsExactly("DELIVERED");
        assertThat(attempts(order)).isEqualTo(1);
    }

    /** Each claimed notification is rendered on its own: one payload that cannot be costs only itself. */
    @Test
    void aPayloadWithANullTotalInABatchOfTwentyIsDeadAloneAndTheOthersAreDelivered() {
        notifications.pause("test", "a batch builds up");
        List<UUID> good = new java.util.ArrayList<>();
        for (int i = 0; i < 19; i++) {
            good.add(register());
        }
        UUID bad = UUID.randomUUID();
        ledger.register(List.of(new OutboxEvent(UUID.randomUUID(), "Order", bad.toString(), "OrderPlaced",
                "{\"orderId\":\"" + bad + "\",\"customerName\":\"No total\",\"items\":[]}", Instant.now(), null)));
        notifications.resume("test");

        good.forEach(order -> awaitStatus(order, "DELIVERED"));
        awaitStatus(bad, "DEAD");
        assertThat(jdbc.sql("SELECT last_error FROM notification WHERE order_id = ?").param(bad)
                .query(String.class).single()).contains("total");
        assertThat(script().texts()).noneMatch(text -> text.contains("No total"));
        assertThat(script().texts().stream().mapToLong(text -> good.stream()
                .filter(order -> text.contains(order.toString())).count()).sum())
                .as("each good order in one message").isEqualTo(good.size());
    }

    /**
     * A claim older than the lease less the stop grace (the process stopped between the claim and
     * the send) is released unsent: another instance may hold it by now.
     */
    @Test
    void aClaimThatAgedPastItsLeaseLessTheStopGraceIsReleasedUnsent() {
        notifications.pause("test", "the test claims by hand");
        UUID order = register();
        DeliveryLedger.Claim claim = ledger.claimDueWhilePaused("frozen", Duration.ofMinutes(1), 1000).stream()
                .filter(c -> c.orderId().equals(order)).findFirst().orElseThrow();
        // As if the process had been stopped for an hour between the claim and the send.
        DeliveryLedger.Claim aged = new DeliveryLedger.Claim(claim.eventId(), claim.orderId(), claim.payload(),
                claim.attempts(), claim.firstFailedAt(), claim.committedAt(), claim.token(), claim.trace(),
                System.nanoTime() - Duration.ofHours(1).toNanos());

        delivery.deliver(List.of(aged));

        assertThat(script().texts()).as("a stale claim is not sent").isEmpty();
        assertThat(jdbc.sql("SELECT status || ' ' || coalesce(lease_owner, 'unclaimed') FROM notification "
                + "WHERE order_id = ?").param(order).query(String.class).single()).isEqualTo("PENDING unclaimed");

        notifications.resume("test");
        awaitStatus(order, "DELIVERED");
        assertThat(script().texts()).hasSize(1);
    }

    private static SendOutcome outage() {
        return new SendOutcome.Transient("502 Bad Gateway", true);
    }

    private UUID register() {
        UUID order = UUID.randomUUID();
        String payload = "{\"orderId\":\"" + order + "\",\"customerName\":\"Scripted\",\"customerPhone\":\"+1\","
                + "\"items\":[{\"sku\":\"A\",\"name\":\"A\",\"quantity\":1,\"unitPrice\":2.50}],\"total\":2.50}";
        ledger.register(List.of(new OutboxEvent(UUID.randomUUID(), "Order", order.toString(), "OrderPlaced", payload,
                Instant.now(), null)));
        return order;
    }

    private void awaitStatus(UUID order, String status) {
        await().atMost(Duration.ofSeconds(15)).until(() -> status.equals(jdbc.sql(
                "SELECT status FROM notification WHERE order_id = ?").param(order).query(String.class).single()));
    }

    private int attempts(UUID order) {
        return jdbc.sql("SELECT attempts FROM notification WHERE order_id = ?").param(order).query(Integer.class).single();
    }

    private List<String> history(UUID order) {
        return jdbc.sql("""
                SELECT a.outcome FROM notification_history a JOIN notification n ON n.event_id = a.event_id
                 WHERE n.order_id = ? ORDER BY a.id""").param(order).query(String.class).list();
    }

    /** Telegram as the test scripts it: the next answers in order, then every message accepted. */
    static final class ScriptedTelegram implements TelegramSender {

        private final Queue<SendOutcome> answers = new ConcurrentLinkedQueue<>();
        private final Queue<SendOutcome> probeAnswers = new ConcurrentLinkedQueue<>();
        private final List<String> texts = new CopyOnWriteArrayList<>();
        private final List<Long> sentAtNanos = new CopyOnWriteArrayList<>();
        private final AtomicLong messageIds = new AtomicLong();
        private final AtomicLong probes = new AtomicLong();

        void answer(SendOutcome... outcomes) {
            answers.addAll(List.of(outcomes));
        }

        void probeAnswers(SendOutcome... outcomes) {
            probeAnswers.addAll(List.of(outcomes));
        }

        void reset() {
            answers.clear();
            probeAnswers.clear();
            texts.clear();
            sentAtNanos.clear();
            probes.set(0);
        }

        List<String> texts() {
            return List.copyOf(texts);
        }

        /** When each message arrived, on this JVM's monotonic clock, in order. */
        List<Long> sentAtNanos() {
            return List.copyOf(sentAtNanos);
        }

        long probes() {
            return probes.get();
        }

        @Override
        public Duration readyIn() {
            return Duration.ZERO;
        }

        @Override
        public SendOutcome send(String html) {
            sentAtNanos.add(System.nanoTime());
            texts.add(html);
            SendOutcome next = answers.poll();
            return next != null ? next : new SendOutcome.Delivered(messageIds.incrementAndGet());
        }

        @Override
        public SendOutcome probe() {
            probes.incrementAndGet();
            SendOutcome next = probeAnswers.poll();
            return next != null ? next : new SendOutcome.Delivered(0);
        }

        @Override
        public TelegramStatus status() {
            return new TelegramStatus(false, DukanTestContext.CHAT_ID, "CLOSED", null);
        }
    }
}
