package com.onlinedukan.acknowledgement;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import com.onlinedukan.acknowledgement.AcknowledgementLedger.Row;
import com.onlinedukan.notification.Notifications;
import com.onlinedukan.telegram.SendOutcome;
import com.onlinedukan.telegram.StaffBot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * An order nobody takes: one reminder (a reply to its message in the staff chat) once it has
 * waited {@code acknowledge-within}, and one period later one message to the escalation chat when
 * there is one. Every instance looks; the conditional UPDATE that moves the stage is the claim, so
 * each step is taken once, by one instance. A step whose message cannot go now (the chat's budget,
 * a pause, an outage) goes back to its stage and is tried again; a crash between the claim and the
 * send loses that one message rather than ever sending it twice. These messages, and the edits
 * still owed, spend the staff chat's budget only while no new order's notification is due: new
 * orders go first.
 */
@Component
class Escalation {

    private static final Logger log = LoggerFactory.getLogger(Escalation.class);
    /** At most this many steps or edits per look, so one look never holds the scheduler long. */
    private static final int PER_LOOK = 20;

    private final AcknowledgementLedger ledger;
    private final MessageEdits edits;
    private final StaffBot bot;
    private final Notifications notifications;
    private final AcknowledgementProperties properties;
    private final Clock clock;

    Escalation(AcknowledgementLedger ledger, MessageEdits edits, StaffBot bot, Notifications notifications,
            AcknowledgementProperties properties, Clock clock) {
        this.ledger = ledger;
        this.edits = edits;
        this.bot = bot;
        this.notifications = notifications;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "1s", initialDelayString = "1s")
    void look() {
        if (!bot.live()) {
            return;
        }
        for (int i = 0; i < PER_LOOK && !notifications.anyDue(); i++) {
            Optional<Row> step = ledger.claimStep(properties.acknowledgeWithin());
            if (step.isEmpty() || !take(step.get())) {
                break;
            }
        }
        for (int i = 0; i < PER_LOOK && !notifications.anyDue(); i++) {
            Optional<Row> owed = ledger.owedEdit();
            if (owed.isEmpty() || !edits.show(owed.get())) {
                break;
            }
        }
    }

    /** Sends the claimed step's message; whether the next one may go now. */
    private boolean take(Row row) {
        Duration waited = StaffTexts.since(row.deliveredAt(), clock.instant());
        SendOutcome outcome;
        if (row.stage() == Stage.REMINDED) {
            outcome = bot.reply(row.chatId(), row.messageId(), StaffTexts.reminder(row, waited));
        }
        else if (properties.escalates()) {
            outcome = bot.sendTo(properties.escalationChatId(), StaffTexts.escalation(row, waited));
        }
        else {
            log.warn("Order {} has waited {} s and nobody has taken it (no escalation chat is set)", row.orderId(),
                    waited.toSeconds());
            return true;
        }
        if (outcome instanceof SendOutcome.Delivered) {
            log.info("Order {} not taken after {} s: {}", row.orderId(), waited.toSeconds(),
                    row.stage() == Stage.REMINDED ? "reminded the staff" : "escalated");
            return true;
        }
        if (outcome instanceof SendOutcome.Permanent p) {
            log.warn("Telegram refused the {} of order {} ({}); not tried again", row.stage(), row.orderId(), p.error());
            return true;
        }
        Duration retry = outcome instanceof SendOutcome.NotSent n ? n.retryIn()
                : outcome instanceof SendOutcome.RetryAfter r ? r.delay() : Duration.ofSeconds(5);
        ledger.stepNotSent(row.eventId(), row.stage(), retry);
        return false;
    }

    /** Applied updates are remembered as long as Telegram could send them again. */
    @Scheduled(fixedDelayString = "1h", initialDelayString = "1m")
    void forgetOldUpdates() {
        ledger.forgetUpdatesBefore(clock.instant().minus(Duration.ofHours(25)));
    }
}
