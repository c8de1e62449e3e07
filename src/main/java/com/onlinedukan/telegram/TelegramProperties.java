package com.onlinedukan.telegram;

import java.net.URI;

import jakarta.validation.constraints.AssertTrue;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * {@code telegram.*} ({@code TELEGRAM_BOT_TOKEN}, {@code TELEGRAM_CHAT_ID}, {@code TELEGRAM_API_URL}).
 * The token is a secret: {@link #toString()} never shows it.
 *
 * @param botToken the bot's token; without it notifications go to the dry-run sender
 * @param chatId the shop staff chat
 * @param apiUrl the Bot API base URL: scheme, host, optional port
 */
@Validated
@ConfigurationProperties("telegram")
record TelegramProperties(String botToken, String chatId, @DefaultValue("https://api.telegram.org") URI apiUrl) {

    boolean tokenMissing() {
        return !StringUtils.hasText(botToken);
    }

    @AssertTrue(message = "telegram.api-url (TELEGRAM_API_URL) must be an http or https URL with a host")
    boolean isApiUrlUsable() {
        return apiUrl != null && apiUrl.getHost() != null
                && ("http".equalsIgnoreCase(apiUrl.getScheme()) || "https".equalsIgnoreCase(apiUrl.getScheme()));
    }

    /** The bot's id: the part of the token before the colon, which Telegram makes public anyway. */
    String botId() {
        int colon = botToken.indexOf(':');
        return colon > 0 ? botToken.substring(0, colon) : "bot";
    }

    @Override
    public String toString() {
        return "TelegramProperties[botToken=" + (tokenMissing() ? "<unset>" : "<secret>") + ", chatId=" + chatId
                + ", apiUrl=" + apiUrl + "]";
    }
}
