package com.onlinedukan.notification;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.onlinedukan.notification.DeliveryLedger.Claim;
import com.onlinedukan.notification.OrderMessage.PlacedOrder;
import com.onlinedukan.relay.RelayedEvent;
import com.onlinedukan.telegram.SendOutcome;
import com.onlinedukan.telegram.TelegramSender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The delivery state machine, in one place. Claimed notifications are sent (one message, or one
 * digest for several) and Telegram's answer moves each of them on:
 * <ul>
 * <li>Telegram accepted → DELIVERED</li>
 * <li>429 → RETRYING after exactly {@code retry_after}</li>
 * <li>transient failure → RETRYING after the backoff, or DEAD once attempts are exhausted</li>
 * <li>permanent failure, or a payload that cannot be read → DEAD at once</li>
 * <li>chat migrated → the new chat id is used from now on and the send is retried at once</li>
 * </ul>
 */
@Component
class Delivery {

    private static final Logger log = LoggerFactory.getLogger(Delivery.class);

    private final DeliveryLedger ledger;
    private final TelegramSender sender;
    private final JsonMapper json;
    private final Clock clock;
    private final RetrySchedule schedule;
    private final Counter delivered;
    private final Counter dead;
    private final Timer latency;
    private final Map<Class<?>, Counter> attempts = new HashMap<>();

    Delivery(DeliveryLedger ledger, TelegramSender sender, JsonMapper json, Clock clock,
            NotificationProperties properties, MeterRegistry meters) {
        this.ledger = ledger;
        this.sender = sender;
        this.json = json;
        this.clock = clock;
        this.schedule = RetrySchedule.of(properties.retry());
        this.delivered = Counter.builder("dukan.notifications.delivered")
                .description("Notifications Telegram accepted").register(meters);
        this.dead = Counter.builder("dukan.notifications.dead")
                .description("Notifications dead-lettered").register(meters);
        this.latency = Timer.builder("dukan.notification.delivery")
                .description("From the order's commit to Telegram's answer")
                .register(meters);
        // Every outcome is exported from the start (as 0), so rates and alerts see the series
        // before its first occurrence.
        for (Class<?> outcome : SendOutcome.class.getPermittedSubclasses()) {
            attempts.put(outcome, Counter.builder("dukan.notifications.attempts")
                    .description("Telegram send attempts, one per notification a message carried, by outcome")
                    .tag("outcome", outcome.getSimpleName().toLowerCase())
                    .register(meters));
        }
    }

    /**
     * An event from the stream: into the ledger, once. Returns false for events that are not
     * order notifications (there is nothing to send for them).
     */
    boolean register(RelayedEvent event) {
        Optional<UUID> orderId = orderIdOf(event);
        orderId.ifPresent(id -> ledger.register(event, id));
        return orderId.isPresent();
    }

    private Optional<UUID> orderIdOf(RelayedEvent event) {
        if (!"OrderPlaced".equals(event.type())) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(event.aggregateId()));
        }
        catch (IllegalArgumentException e) {
            log.error("Event {} names no order ({}); it is not a notification", event.eventId(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * One send for claimed notifications: the full message for one, a digest for several. What
     * the digest could not hold is released for the next send. Returns Telegram's answer, if a
     * message was sent.
     */
    Optional<SendOutcome> deliver(List<Claim> claims) {
        List<Claim> readable = new ArrayList<>();
        List<PlacedOrder> orders = new ArrayList<>();
        for (Claim claim : claims) {
            try {
                orders.add(json.readValue(claim.payload(), PlacedOrder.class));
                readable.add(claim);
            }
            catch (RuntimeException e) {
                giveUp(claim, "UNREADABLE", "payload cannot be rendered: " + e.getMessage());
            }
        }
        if (readable.isEmpty()) {
            return Optional.empty();
        }
        String text;
        List<Claim> sent;
        if (readable.size() == 1) {
            text = OrderMessage.render(orders.get(0));
            sent = readable;
        }
        else {
            DigestMessage.Digest digest = DigestMessage.render(orders);
            text = digest.text();
            sent = readable.subList(0, digest.covered());
            ledger.release(readable.subList(digest.covered(), readable.size()).stream().map(Claim::eventId).toList());
        }
        SendOutcome outcome = sender.send(text);
        for (Claim claim : sent) {
            if (!(outcome instanceof SendOutcome.NotSent)) {
                attempts.get(outcome.getClass()).increment();
            }
            moveOn(claim, outcome);
        }
        return Optional.of(outcome);
    }

    private void moveOn(Claim claim, SendOutcome outcome) {
        int attemptsMade = claim.attempts() + 1;
        if (outcome instanceof SendOutcome.Delivered d) {
            ledger.delivered(claim.eventId(), d.messageId());
            delivered.increment();
            latency.record(Duration.between(claim.committedAt(), clock.instant()));
        }
        else if (outcome instanceof SendOutcome.Permanent p) {
            giveUp(claim, "PERMANENT", p.error());
        }
        else if (outcome instanceof SendOutcome.Refused r) {
            giveUp(claim, "PERMANENT", r.error());
        }
        else if (outcome instanceof SendOutcome.NotSent) {
            ledger.release(List.of(claim.eventId()));
        }
        else if (outcome instanceof SendOutcome.RetryAfter r) {
            retryOrGiveUp(claim, attemptsMade, "RATE_LIMITED", r.error(), r.delay());
        }
        else if (outcome instanceof SendOutcome.Transient t) {
            retryOrGiveUp(claim, attemptsMade, "TRANSIENT", t.error(), schedule.delayAfter(attemptsMade));
        }
    }

    private void retryOrGiveUp(Claim claim, int attemptsMade, String outcome, String error, Duration delay) {
        if (schedule.exhausted(attemptsMade)) {
            giveUp(claim, outcome, error + " (gave up after " + attemptsMade + " attempts)");
            return;
        }
        ledger.retrying(claim.eventId(), outcome, error, delay);
    }

    private void giveUp(Claim claim, String outcome, String error) {
        log.warn("Notification {} is dead: {}", claim.eventId(), error);
        ledger.dead(claim.eventId(), outcome, error);
        dead.increment();
    }
}
