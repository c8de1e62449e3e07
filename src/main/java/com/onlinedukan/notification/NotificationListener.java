package com.onlinedukan.notification;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Told when Telegram accepted a message, inside the transaction that records its notifications
 * DELIVERED: what a listener writes commits with them or not at all, so nothing delivered is
 * missing from it. A listener that throws makes the delivery be recorded later (the notification
 * stays leased until its lease runs out), so it must not throw for what it can tolerate.
 */
public interface NotificationListener {

    /** One message Telegram accepted. */
    void delivered(DeliveredMessage message);

    /**
     * @param chatId the chat the message went to
     * @param messageId Telegram's id of it
     * @param html the text as sent
     * @param notifications what it carried, in the message's order (one, or a digest's)
     */
    record DeliveredMessage(String chatId, long messageId, String html, List<Carried> notifications) {
    }

    /** One notification a message carried. */
    record Carried(UUID eventId, UUID orderId, Instant committedAt) {
    }
}
