package com.onlinedukan.notification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import com.onlinedukan.notification.DeliveryLedger.Claim;
import com.onlinedukan.notification.OrderMessage.PlacedOrder;
import com.onlinedukan.telegram.SendOutcome;
import com.onlinedukan.telegram.TelegramSender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * The delivery state machine, in one place. Claimed notifications are rendered one by one (an
 * unreadable one is DEAD alone), sent as one message or one digest, and Telegram's answer moves
 * each of them on:
 * <ul>
 * <li>accepted → DELIVERED</li>
 * <li>not sent (budget, pause, open circuit) → released as they were</li>
 * <li>429 → RETRYING after exactly {@code retry_after}, not charged</li>
 * <li>transient failure while Telegram fails for everyone (circuit open) → RETRYING, not charged</li>
 * <li>transient failure of its own → RETRYING after the backoff, or DEAD once both its attempts
 * and {@code give-up-after} are spent</li>
 * <li>any refusal not proven to be about the message (the bot, the chat, wordings nobody listed) →
 * delivery paused by {@code telegram}, RETRYING, not charged</li>
 * <li>an error proven to be about the message → DEAD; a refused digest is halved until the
 * orders it is about are alone</li>
 * </ul>
 * Every write names the claim and, once Telegram has answered, is retried while the claim holds
 * ({@link #underClaim}); rows another sender took over meanwhile are counted as lost claims.
 * Each send is a span in the trace of the order it carries ({@link SendTraces}), and each
 * notification's move is logged with its {@code eventId}, {@code orderId} and {@code traceId}.
 */
@Component("notificationDelivery") // "delivery" is the health component
class Delivery {

    private static final Logger log = LoggerFactory.getLogger(Delivery.class);
    private static final Duration RECORD_BACKOFF = Duration.ofMillis(50);
    private static final Duration RECORD_BACKOFF_MAX = Duration.ofSeconds(1);

    private final DeliveryLedger ledger;
    private final TelegramSender telegram;
    private final SendTraces traces;
    private final DeliveryControl control;
    private final DeliveryHandOff handOff;
    private final JsonMapper json;
    private final Clock clock;
    private final RetrySchedule schedule;
    private final int maxPerMessage;
    /** The youngest a claim must be to be sent: the lease less the stop grace (which exceeds the call timeout). */
    private final Duration sendableFor;
    private final Counter delivered;
    private final Counter dead;
    private final Counter lostClaims;
    private final Timer latency;
    private final Map<AttemptOutcome, Counter> attempts = new EnumMap<>(AttemptOutcome.class);
    private final Duration lease;

    Delivery(DeliveryLedger ledger, TelegramSender telegram, SendTraces traces, DeliveryControl control, JsonMapper json,
            Clock clock, NotificationProperties properties, MeterRegistry meters, DeliveryHandOff handOff) {
        this.ledger = ledger;
        this.handOff = handOff;
        this.telegram = telegram;
        this.traces = traces;
        this.control = control;
        this.json = json;
        this.clock = clock;
        this.schedule = RetrySchedule.of(properties.retry());
        this.maxPerMessage = properties.maxPerMessage();
        this.sendableFor = properties.lease().minus(properties.stopGrace());
        this.lease = properties.lease();
        this.delivered = Counter.builder("dukan.notifications.delivered")
                .description("Notifications Telegram accepted").register(meters);
        this.dead = Counter.builder("dukan.notifications.dead")
                .description("Notifications dead-lettered").register(meters);
        this.lostClaims = Counter.builder("dukan.notifications.claims.lost")
                .description("Writes refused because another sender took the claim over (lease ran out)")
                .register(meters);
        this.latency = Timer.builder("dukan.notification.delivery")
                .description("From the order's commit to Telegram's answer")
                .register(meters);
        // Every outcome is exported from the start (as 0), so rates and alerts see the series
        // before its first occurrence.
        for (AttemptOutcome outcome : AttemptOutcome.values()) {
            attempts.put(outcome, Counter.builder("dukan.notifications.attempts")
                    .description("Telegram send attempts, one per notification a message carried, by outcome")
                    .tag("outcome", outcome.tag())
                    .register(meters));
        }
    }

    /** How many notifications the next claim may take. */
    int batchSize() {
        return maxPerMessage;
    }

    /** Claimed notifications with what they render to, in the same order. */
    private record Message(List<Claim> claims, List<PlacedOrder> orders) {

        String text() {
            return claims.size() == 1 ? OrderMessage.render(orders.get(0)) : DigestMessage.render(orders).text();
        }

        Message part(int from, int to) {
            return new Message(claims.subList(from, to), orders.subList(from, to));
        }
    }


    /**
     * One send for claimed notifications: the full message for one, a digest for several; what
     * the digest could not hold is released. Returns how long the dispatcher should wait before
     * the next send (zero: at once).
     */
    Duration deliver(List<Claim> claims) {
        List<Claim> readable = new ArrayList<>(claims.size());
        List<PlacedOrder> orders = new ArrayList<>(claims.size());
        for (Claim claim : claims) {
            try {
                orders.add(json.readValue(claim.payload(), PlacedOrder.class).complete());
                readable.add(claim);
            }
            catch (RuntimeException e) {
                giveUp(List.of(claim), AttemptOutcome.UNREADABLE, "payload cannot be rendered: " + e.getMessage());
            }
        }
        if (readable.isEmpty()) {
            return Duration.ZERO;
        }
        Message message;
        if (readable.size() == 1) {
            message = new Message(readable, orders);
        }
        else {
            DigestMessage.Digest digest = DigestMessage.render(orders);
            message = new Message(readable, orders).part(0, digest.covered());
            ledger.release(readable.subList(digest.covered(), readable.size()));
        }
        return sendAndSettle(message);
    }

    /** The send and what follows from Telegram's answer. */
    private Duration sendAndSettle(Message message) {
        return sendAndSettle(message, false);
    }

    /**
     * The send and the recording of Telegram's answer as one span in the order's trace, so the log
     * lines about the move carry its span; an error about the message is judged after the span.
     */
    private Duration sendAndSettle(Message message, boolean waitForBudget) {
        Span span = traces.start(message.claims());
        SendOutcome outcome;
        try (Tracer.SpanInScope scope = traces.enter(span)) {
            outcome = send(message, waitForBudget);
            if (outcome == null) {
                return Duration.ZERO;
            }
            span.tag("dukan.send.outcome", outcome.getClass().getSimpleName());
            if (!(outcome instanceof SendOutcome.Permanent)) {
                return settle(message.claims(), outcome, message);
            }
        }
        catch (RuntimeException e) {
            span.error(e);
            throw e;
        }
        finally {
            span.end();
        }
        return refusedAsAMessage(message, ((SendOutcome.Permanent) outcome).error());
    }

    /**
     * One send, inside the span of {@link #sendAndSettle(Message, boolean)}; null when it was not made because the claim is
     * too old. No send starts later than {@code sendableFor} after the claim, measured from before
     * the claim's statement, so the pool wait, the chat's state and the budgets are inside the bound.
     * {@code waitForBudget}: within a bisection, a spent budget is waited for while the claim allows.
     */
    private SendOutcome send(Message message, boolean waitForBudget) {
        List<Claim> carried = message.claims();
        Claim first = carried.get(0);
        while (true) {
            Duration age = first.age();
            if (age.compareTo(sendableFor) > 0) {
                // This process was stopped (or starved) between the claim and the send: the lease may
                // have run out and another instance may have sent these already. Not sending now
                // closes the third duplicate window (ARCHITECTURE.md) except for its last instant.
                int released = ledger.release(carried);
                lostClaims.increment(carried.size() - released);
                log.warn("Not sending {} notification(s) claimed {} ms ago (more than {} ms): released for a fresh claim",
                        carried.size(), age.toMillis(), sendableFor.toMillis());
                return null;
            }
            SendOutcome outcome = telegram.send(message.text(), OrderButton.forClaims(carried),
                    first.claimedNanos() + sendableFor.toNanos());
            if (waitForBudget && outcome instanceof SendOutcome.NotSent n && !n.retryIn().isZero()
                    && first.age().plus(n.retryIn()).compareTo(sendableFor) < 0) {
                pause(n.retryIn());
                continue;
            }
            return outcome;
        }
    }


    /**
     * Telegram answered with an error proven to be about the message: one notification is DEAD,
     * and a digest is halved until the orders it is about are alone.
     */
    private Duration refusedAsAMessage(Message message, String error) {
        return message.claims().size() == 1 ? deadAlone(message, error) : bisect(message, error);
    }

    private Duration deadAlone(Message message, String error) {
        giveUp(message.claims(), AttemptOutcome.PERMANENT, error);
        return Duration.ZERO;
    }

    /**
     * A refused digest is split in halves and each is sent: a half Telegram takes is delivered in
     * one send, a refused one is halved again, so one bad order among n costs about 2·log2(n)
     * sends instead of n. A spent budget is waited for while the claim allows; past that, what is
     * left is released and the next claim starts over.
     */
    private Duration bisect(Message message, String error) {
        log.warn("Telegram refused a digest of {} ({}); halving it to find the order(s) it is about",
                message.claims().size(), error);
        int half = message.claims().size() / 2;
        Duration wait = Duration.ZERO;
        for (Message part : List.of(message.part(0, half), message.part(half, message.claims().size()))) {
            wait = longer(wait, sendAndSettle(part, true));
        }
        return wait;
    }

    private Duration settle(List<Claim> claims, SendOutcome outcome, Message message) {
        if (outcome instanceof SendOutcome.Delivered d) {
            // The DELIVERED write and what the listeners keep about the message commit together, and
            // are retried together under the claim.
            String text = message.text();
            int moved = underClaim(claims, () -> handOff.recordDelivered(claims, d, text,
                    () -> ledger.delivered(claims, d.messageId())));
            each(claims, claim -> log.info("Notification {} of order {} delivered as Telegram message {}",
                    claim.eventId(), claim.orderId(), d.messageId()));
            count(AttemptOutcome.DELIVERED, claims, moved);
            delivered.increment(moved);
            Instant now = clock.instant();
            claims.forEach(claim -> latency.record(Duration.between(claim.committedAt(), now)));
            return Duration.ZERO;
        }
        if (outcome instanceof SendOutcome.NotSent n) {
            ledger.release(claims);
            return n.retryIn();
        }
        if (outcome instanceof SendOutcome.RetryAfter r) {
            retrying(claims, AttemptOutcome.RATE_LIMITED, r.error(), r.delay());
            return r.delay();
        }
        if (outcome instanceof SendOutcome.Transient t && t.widespread()) {
            Duration wait = telegram.readyIn();
            Duration delay = wait.compareTo(schedule.initial()) > 0 ? wait : schedule.initial();
            retrying(claims, AttemptOutcome.OUTAGE, t.error(), delay);
            return delay;
        }
        if (outcome instanceof SendOutcome.Transient t) {
            failedTransiently(claims, t.error());
            return Duration.ZERO;
        }
        if (outcome instanceof SendOutcome.Refused r) {
            log.error("Telegram refuses the bot or the staff chat ({}); delivery is paused until it is fixed "
                    + "and an SRE resumes it, or a probe finds it fixed", r.error());
            underClaim(claims, () -> {
                control.pauseForRefusal(r.error(), claims.get(0), lease);
                return 1;
            });
            retrying(claims, AttemptOutcome.REFUSED, r.error(), Duration.ZERO);
            return Duration.ZERO;
        }
        throw new IllegalStateException("an error about the message is settled by refusedAsAMessage: " + outcome);
    }

    /**
     * A write after Telegram answered, retried with backoff while the claim is still ours: a
     * PostgreSQL connection lost at that moment must not leave the row to be sent again when the
     * lease runs out. The claim's age is measured from before its statement, so "ours" is
     * conservative; past the lease the write is given up (the row is another sender's by then).
     */
    private int underClaim(List<Claim> claims, IntSupplier write) {
        Duration backoff = RECORD_BACKOFF;
        while (true) {
            try {
                return write.getAsInt();
            }
            catch (DataAccessException | TransactionException e) {
                // A transaction (the DELIVERED write with its listeners' rows) fails on begin or
                // rollback as a TransactionException when the connection itself is gone.
                Duration left = lease.minus(claims.get(0).age());
                if (left.compareTo(backoff) <= 0) {
                    log.error("Could not record Telegram's answer for {} notification(s) within their claim: {}",
                            claims.size(), e.getMostSpecificCause().getMessage());
                    throw e;
                }
                log.warn("Recording Telegram's answer for {} notification(s) failed ({}); again in {} ms, "
                        + "the claim holds for {} ms more", claims.size(), e.getMostSpecificCause().getMessage(),
                        backoff.toMillis(), left.toMillis());
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(RECORD_BACKOFF_MAX) > 0 ? RECORD_BACKOFF_MAX : backoff.multipliedBy(2);
            }
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while holding a claim", e);
        }
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Its own failure: charged; DEAD for those whose attempts and time are both spent. */
    private void failedTransiently(List<Claim> claims, String error) {
        Instant now = clock.instant();
        List<Claim> spent = new ArrayList<>();
        List<Claim> again = new ArrayList<>();
        int mostAttempts = 0;
        for (Claim claim : claims) {
            if (schedule.exhausted(claim.attempts() + 1, claim.firstFailedAt(), now)) {
                spent.add(claim);
            }
            else {
                again.add(claim);
                mostAttempts = Math.max(mostAttempts, claim.attempts() + 1);
            }
        }
        giveUp(spent, AttemptOutcome.TRANSIENT, error + " (gave up after " + schedule.maxAttempts()
                + " attempts and " + schedule.giveUpAfter() + ")");
        retrying(again, AttemptOutcome.TRANSIENT, error, schedule.delayAfter(mostAttempts));
    }

    /** RETRYING after {@code delay}, one log line per notification. */
    private void retrying(List<Claim> claims, AttemptOutcome outcome, String error, Duration delay) {
        if (claims.isEmpty()) {
            return;
        }
        int moved = underClaim(claims, () -> ledger.retrying(claims, outcome, error, delay));
        each(claims, claim -> log.info("Notification {} of order {} is retried in {} ms ({}: {})", claim.eventId(),
                claim.orderId(), delay.toMillis(), outcome.tag(), error));
        count(outcome, claims, moved);
    }

    /** Writes a line about each notification with its ids and trace in the log's context. */
    private static void each(List<Claim> claims, java.util.function.Consumer<Claim> line) {
        for (Claim claim : claims) {
            try (EventLogContext context = EventLogContext.of(claim)) {
                line.accept(claim);
            }
        }
    }

    private void giveUp(List<Claim> claims, AttemptOutcome outcome, String error) {
        if (claims.isEmpty()) {
            return;
        }
        int moved = underClaim(claims, () -> ledger.dead(claims, outcome, error));
        count(outcome, claims, moved);
        dead.increment(moved);
        each(claims, claim -> log.warn("Notification {} of order {} is dead: {}", claim.eventId(), claim.orderId(), error));
    }

    /** Counts the attempt for what this claim still held; the rest another sender took over. */
    private void count(AttemptOutcome outcome, List<Claim> claims, int moved) {
        attempts.get(outcome).increment(moved);
        if (moved < claims.size()) {
            lostClaims.increment(claims.size() - moved);
            log.warn("{} of {} claimed notifications were taken over by another sender before their {} was recorded; "
                    + "left as the new holder has them", claims.size() - moved, claims.size(), outcome);
        }
    }
}
