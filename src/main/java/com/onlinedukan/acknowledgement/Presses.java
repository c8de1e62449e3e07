package com.onlinedukan.acknowledgement;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import com.onlinedukan.acknowledgement.AcknowledgementLedger.Row;
import com.onlinedukan.notification.Notifications;
import com.onlinedukan.notification.OrderButton;
import com.onlinedukan.telegram.StaffBot;
import com.onlinedukan.telegram.StaffBot.Press;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies one update from Telegram, once: the update id and what it changes (the first press's
 * take) commit together, so an update that comes again changes nothing, and a restart loses none.
 * Then the press is answered ({@code answerCallbackQuery}) and the message edited. Callback data is
 * untrusted: anything but exactly a take button's is answered and otherwise ignored.
 */
@Component
class Presses {

    private static final Logger log = LoggerFactory.getLogger(Presses.class);

    private final AcknowledgementLedger ledger;
    private final MessageEdits edits;
    private final Notifications notifications;
    private final StaffBot bot;
    private final TransactionTemplate transaction;
    private final Timer toTaken;
    private final Counter applied;
    private final Counter repeated;

    Presses(AcknowledgementLedger ledger, MessageEdits edits, StaffBot bot, Notifications notifications,
            PlatformTransactionManager transactions, MeterRegistry meters) {
        this.notifications = notifications;
        this.ledger = ledger;
        this.edits = edits;
        this.bot = bot;
        this.transaction = new TransactionTemplate(transactions);
        this.toTaken = Timer.builder("dukan.order.acknowledgement")
                .description("From the order's commit to a member of staff taking it in Telegram")
                .register(meters);
        this.applied = Counter.builder("dukan.telegram.updates").tag("result", "applied")
                .description("Telegram updates received, by whether they were new").register(meters);
        this.repeated = Counter.builder("dukan.telegram.updates").tag("result", "repeated")
                .description("Telegram updates received, by whether they were new").register(meters);
    }

    /** What a press came to. */
    sealed interface Outcome {
    }

    /** The first press: this user took the order. */
    record Took(Row row) implements Outcome {
    }

    /** Someone took it before. */
    record AlreadyTaken(Row row) implements Outcome {
    }

    /** A take button of an order this service does not know (purged, or another bot's data). */
    record Unknown(UUID eventId) implements Outcome {
    }

    /** Not a take button's data at all: malformed, forged, or too long. */
    record NotOurs() implements Outcome {
    }

    /** The update seen before: nothing changes, nothing is said. */
    record Repeated() implements Outcome {
    }

    /** Applies the update; throws only when PostgreSQL cannot record it (then it is not applied, and comes again). */
    Outcome apply(StaffBot.Update update) {
        Outcome outcome = transaction.execute(tx -> {
            if (!ledger.firstTime(bot.botId(), update.updateId())) {
                return new Repeated();
            }
            return update instanceof Press press ? take(press) : null;
        });
        if (outcome instanceof Repeated) {
            repeated.increment();
            return outcome;
        }
        applied.increment();
        if (update instanceof Press press) {
            try {
                follow(press, outcome);
            }
            catch (RuntimeException e) {
                // The press is recorded and its update with it: a failing answer or edit must not stop the
                // poller before the offset moves on (the update would come again as seen, and go unanswered).
                log.error("Answering update {} failed after it was applied ({}); the take stands", update.updateId(),
                        outcome, e);
            }
        }
        return outcome;
    }

    private Outcome take(Press press) {
        Optional<UUID> eventId = OrderButton.eventIdOf(press.data());
        if (eventId.isEmpty()) {
            return new NotOurs();
        }
        Optional<Outcome> judged = judgeOnTheRow(eventId.get(), press);
        if (judged.isPresent()) {
            return judged.get();
        }
        // A press can come between Telegram's answer and the DELIVERED commit (a person is rarely that
        // quick, but a commit retried under its claim is slow): the notification ledger knows the event.
        Optional<Notifications.Ledgered> ledgered = notifications.ledgered(eventId.get());
        if (ledgered.isEmpty()) {
            return new Unknown(eventId.get());
        }
        Optional<Row> early = ledger.takeBeforeRecorded(eventId.get(), ledgered.get().orderId(),
                ledgered.get().committedAt(), press.chatId() == null ? "" : press.chatId(),
                press.messageId() == null ? 0 : press.messageId(), press.userId(), press.userName());
        if (early.isPresent()) {
            return new Took(early.get());
        }
        // The delivery's row committed meanwhile: this press is judged on it.
        return judgeOnTheRow(eventId.get(), press).orElseGet(() -> new Unknown(eventId.get()));
    }

    /**
     * The press judged on the order's row: it takes the order unless someone took it before; empty when
     * there is no row. The delivery inserts the row when it commits, which can fall between the take
     * (no row yet) and the look (a row nobody took): then the take is tried again on it, so the first
     * press wins whenever it comes. Only a taken row answers "already taken".
     */
    private Optional<Outcome> judgeOnTheRow(UUID eventId, Press press) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Row> took = ledger.take(eventId, press.userId(), press.userName());
            if (took.isPresent()) {
                return Optional.of(new Took(took.get()));
            }
            Optional<Row> known = ledger.find(eventId);
            if (known.isEmpty()) {
                return Optional.empty();
            }
            if (known.get().stage() == Stage.TAKEN) {
                return Optional.of(new AlreadyTaken(known.get()));
            }
        }
        throw new IllegalStateException("the row of notification " + eventId + " kept changing under a press");
    }

    /** After the commit: the answer first (the user's spinner stops), then the message. */
    private void follow(Press press, Outcome outcome) {
        if (outcome instanceof Took took) {
            Row row = took.row();
            toTaken.record(Duration.between(row.committedAt(), row.takenAt()));
            log.info("Order {} taken by {} (Telegram user {})", row.orderId(), row.takenByName(), row.takenById());
            bot.answer(press.callbackQueryId(), StaffTexts.youTookIt(row));
            edits.show(row);
        }
        else if (outcome instanceof AlreadyTaken already) {
            bot.answer(press.callbackQueryId(), StaffTexts.alreadyTaken(already.row()));
        }
        else if (outcome instanceof Unknown unknown) {
            log.info("A press for notification {}, which is not known here (purged?)", unknown.eventId());
            bot.answer(press.callbackQueryId(), StaffTexts.unknownOrder());
        }
        else {
            log.warn("A press with callback data that is not a take button's (update {}): ignored", press.updateId());
            bot.answer(press.callbackQueryId(), StaffTexts.notAButton());
        }
    }
}
