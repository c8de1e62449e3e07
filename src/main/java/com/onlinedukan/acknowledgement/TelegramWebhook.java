package com.onlinedukan.acknowledgement;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import com.onlinedukan.telegram.SendOutcome;
import com.onlinedukan.telegram.StaffBot;
import io.swagger.v3.oas.annotations.Hidden;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/telegram/updates}, when {@code TELEGRAM_WEBHOOK_URL} is set: Telegram posts each
 * update here with the secret set by {@code setWebhook}; a call without it is refused (403) and
 * changes nothing. Any instance may receive it; an update that comes again changes nothing. A body
 * that is not an update is answered 200 (Telegram would otherwise repeat it forever).
 */
@Hidden
@RestController
class TelegramWebhook {

    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    private static final Logger log = LoggerFactory.getLogger(TelegramWebhook.class);
    /** Telegram's updates are small; anything larger is not one. */
    private static final int MAX_BODY = 64 * 1024;

    private final StaffBot bot;
    private final Presses presses;
    private final WebhookProperties webhook;

    TelegramWebhook(StaffBot bot, Presses presses, WebhookProperties webhook) {
        this.bot = bot;
        this.presses = presses;
        this.webhook = webhook;
    }

    @EventListener(ApplicationReadyEvent.class)
    void register() {
        if (webhook.webhook() && bot.live()) {
            SendOutcome outcome = bot.setWebhook(webhook.webhookUrl().toString(), bot.webhookSecret());
            if (outcome instanceof SendOutcome.Delivered) {
                log.info("Telegram posts updates to {}", webhook.webhookUrl());
            }
            else {
                log.error("setWebhook for {} failed: {}; presses are not read until it succeeds", webhook.webhookUrl(),
                        outcome);
            }
        }
    }

    @PostMapping("/api/telegram/updates")
    ResponseEntity<Void> update(@RequestHeader(name = SECRET_HEADER, required = false) String secret,
            @RequestBody(required = false) byte[] body) {
        if (!webhook.webhook() || !bot.live()) {
            return ResponseEntity.notFound().build();
        }
        if (secret == null || !MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                bot.webhookSecret().getBytes(StandardCharsets.UTF_8))) {
            return ResponseEntity.status(403).build();
        }
        if (body == null || body.length > MAX_BODY) {
            return ResponseEntity.ok().build();
        }
        bot.read(new String(body, StandardCharsets.UTF_8)).ifPresent(presses::apply);
        return ResponseEntity.ok().build();
    }
}
