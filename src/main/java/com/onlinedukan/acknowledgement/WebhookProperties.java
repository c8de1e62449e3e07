package com.onlinedukan.acknowledgement;

import java.net.URI;

import jakarta.validation.constraints.AssertTrue;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code telegram.webhook-url} ({@code TELEGRAM_WEBHOOK_URL}): when set, Telegram posts updates to
 * this URL, which must reach {@code POST /api/telegram/updates} of an instance, instead of being polled.
 */
@Validated
@ConfigurationProperties("telegram")
record WebhookProperties(URI webhookUrl) {

    @AssertTrue(message = "telegram.webhook-url (TELEGRAM_WEBHOOK_URL) must be an http or https URL with a host")
    boolean isWebhookUrlUsable() {
        return webhookUrl == null || webhookUrl.toString().isEmpty() || webhookUrl.getHost() != null
                && ("https".equalsIgnoreCase(webhookUrl.getScheme()) || "http".equalsIgnoreCase(webhookUrl.getScheme()));
    }

    boolean webhook() {
        return webhookUrl != null && !webhookUrl.toString().isEmpty();
    }
}
