package com.onlinedukan.notification;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import com.onlinedukan.notification.DeliveryLedger.Claim;
import com.onlinedukan.telegram.SendOutcome;
import com.onlinedukan.telegram.TelegramSender;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Settles a send and, when Telegram accepted the message, tells the {@link NotificationListener}s
 * in the same transaction as the DELIVERED transition: a delivered notification and what its
 * listeners keep about it (the message to edit, the acknowledgement to wait for) commit together.
 */
@Component
class DeliveryHandOff {

    private final List<NotificationListener> listeners;
    private final TelegramSender telegram;
    private final TransactionTemplate transaction;

    DeliveryHandOff(ObjectProvider<NotificationListener> listeners, TelegramSender telegram,
            PlatformTransactionManager transactions) {
        this.listeners = listeners.orderedStream().toList();
        this.telegram = telegram;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** Runs {@code settle}; a delivered message (a real one: dry-run ids are negative) also goes to the listeners. */
    Duration settle(List<Claim> carried, SendOutcome outcome, String html, Supplier<Duration> settle) {
        if (!(outcome instanceof SendOutcome.Delivered delivered) || delivered.messageId() <= 0 || listeners.isEmpty()) {
            return settle.get();
        }
        NotificationListener.DeliveredMessage message = new NotificationListener.DeliveredMessage(
                telegram.status().chatId(), delivered.messageId(), html,
                carried.stream().map(c -> new NotificationListener.Carried(c.eventId(), c.orderId(), c.committedAt()))
                        .toList());
        return transaction.execute(tx -> {
            Duration wait = settle.get();
            listeners.forEach(listener -> listener.delivered(message));
            return wait;
        });
    }
}
