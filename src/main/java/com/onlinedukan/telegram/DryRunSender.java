package com.onlinedukan.telegram;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.StringUtils;

/** Used when no bot token is configured (or {@code dukan.telegram.dry-run=true}): logs each message instead of sending it. */
class DryRunSender implements TelegramSender {

    private static final Logger log = LoggerFactory.getLogger(DryRunSender.class);

    private final AtomicLong messageIds = new AtomicLong();
    private final String chatId;

    DryRunSender(String chatId) {
        this.chatId = StringUtils.hasText(chatId) ? chatId : null;
    }

    @Override
    public Duration readyIn() {
        return Duration.ZERO;
    }

    @Override
    public SendOutcome send(String html) {
        log.info("[dry-run] Telegram message to chat {}:\n{}", chatId == null ? "<TELEGRAM_CHAT_ID unset>" : chatId, html);
        // Negative, so a dry-run delivery can never be mistaken for a message Telegram holds.
        return new SendOutcome.Delivered(-messageIds.incrementAndGet());
    }

    @Override
    public SendOutcome probe() {
        return new SendOutcome.Delivered(0);
    }

    @Override
    public TelegramStatus status() {
        return new TelegramStatus(true, chatId, "CLOSED", null);
    }
}
