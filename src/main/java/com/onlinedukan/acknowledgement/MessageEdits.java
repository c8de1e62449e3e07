package com.onlinedukan.acknowledgement;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.onlinedukan.acknowledgement.AcknowledgementLedger.Row;
import com.onlinedukan.notification.OrderButton;
import com.onlinedukan.telegram.Button;
import com.onlinedukan.telegram.SendOutcome;
import com.onlinedukan.telegram.StaffBot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Makes an order's message say who took it: the text as sent plus a line per taken order, and the
 * buttons of the orders still waiting (a digest's); when the lines would not fit, the buttons alone,
 * each taken order's naming who took it and when.
 * An edit Telegram will not make ("message is not modified", "message can't be edited") is done
 * with; one that could not go now (budget, pause, outage) stays owed and is made later.
 */
@Component
class MessageEdits {

    private static final Logger log = LoggerFactory.getLogger(MessageEdits.class);

    private final AcknowledgementLedger ledger;
    private final StaffBot bot;

    MessageEdits(AcknowledgementLedger ledger, StaffBot bot) {
        this.ledger = ledger;
        this.bot = bot;
    }

    /**
     * When the lines would not fit (a digest at Telegram's 4096 characters), the buttons name who
     * took each order and when instead: a taken order's button says so, and a press on it is
     * answered "already taken by …".
     */
    private static List<Button> withTakers(List<Row> message) {
        List<Button> buttons = new ArrayList<>();
        for (Row member : message) {
            buttons.add(new Button(member.stage() == Stage.TAKEN ? StaffTexts.takenLabel(member)
                    : OrderButton.label(member.orderId(), message.size() > 1), OrderButton.callbackData(member.eventId())));
        }
        return buttons;
    }

    /** Edits the message that carries {@code row}; whether the message now shows every take it carries. */
    boolean show(Row row) {
        List<Row> message = ledger.message(row.chatId(), row.messageId());
        if (message.isEmpty()) {
            return true;
        }
        if (message.stream().anyMatch(member -> member.html().isEmpty())) {
            // Taken before its delivery committed: the text is not recorded yet. Owed; the sweep edits it.
            return false;
        }
        List<Button> waiting = new ArrayList<>();
        List<UUID> taken = new ArrayList<>();
        for (Row member : message) {
            if (member.stage() == Stage.TAKEN) {
                taken.add(member.eventId());
            }
            else {
                waiting.add(new Button(OrderButton.label(member.orderId(), message.size() > 1),
                        OrderButton.callbackData(member.eventId())));
            }
        }
        String text = StaffTexts.edited(message);
        SendOutcome outcome = text != null ? bot.edit(row.chatId(), row.messageId(), text, waiting)
                : bot.editButtons(row.chatId(), row.messageId(), withTakers(message));
        if (outcome instanceof SendOutcome.Delivered) {
            ledger.edited(taken);
            return true;
        }
        if (outcome instanceof SendOutcome.Permanent p) {
            log.info("Telegram will not edit message {} of order {} ({}); left as it is", row.messageId(),
                    row.orderId(), p.error());
            ledger.edited(taken);
            return true;
        }
        log.debug("Message {} of order {} not edited yet ({}); tried again later", row.messageId(), row.orderId(),
                outcome);
        return false;
    }
}
