package com.onlinedukan.notification;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Used when no bot token is configured: logs each message instead of sending it. */
class DryRunSender implements TelegramSender {

    private static final Logger log = LoggerFactory.getLogger(DryRunSender.class);

    private final AtomicLong messageIds = new AtomicLong();

    DryRunSender() {
        log.warn("TELEGRAM_BOT_TOKEN is not set: notifications go to the dry-run sender, which only logs them");
    }

    @Override
    public SendOutcome send(String chatId, String html) {
        log.info("[dry-run] Telegram message to chat {}:\n{}", chatId == null || chatId.isBlank() ? "<TELEGRAM_CHAT_ID unset>" : chatId, html);
        return new SendOutcome.Delivered(-messageIds.incrementAndGet());
    }
}
