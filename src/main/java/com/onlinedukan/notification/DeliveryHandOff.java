package com.onlinedukan.notification;

import java.util.List;
import java.util.function.IntSupplier;

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

    /**
     * Runs {@code record} (the DELIVERED write) and tells the listeners about a real message (dry-run
     * ids are negative) in one transaction, so a caller retrying a failed write retries both.
     */
    int recordDelivered(List<Claim> carried, SendOutcome.Delivered delivered, String html, IntSupplier record) {
        if (delivered.messageId() <= 0 || listeners.isEmpty()) {
            return record.getAsInt();
        }
        NotificationListener.DeliveredMessage message = new NotificationListener.DeliveredMessage(
                telegram.status().chatId(), delivered.messageId(), html,
                carried.stream().map(c -> new NotificationListener.Carried(c.eventId(), c.orderId(), c.committedAt()))
                        .toList());
        Integer moved = transaction.execute(tx -> {
            int rows = record.getAsInt();
            listeners.forEach(listener -> listener.delivered(message));
            return rows;
        });
        return moved == null ? 0 : moved;
    }
}
