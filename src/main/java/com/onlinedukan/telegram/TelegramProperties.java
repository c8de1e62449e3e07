package com.onlinedukan.telegram;

import java.net.URI;
import java.util.regex.Pattern;

import jakarta.validation.constraints.AssertTrue;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * {@code telegram.*} ({@code TELEGRAM_BOT_TOKEN}, {@code TELEGRAM_CHAT_ID}, {@code TELEGRAM_API_URL}).
 * The token is a secret: {@link #toString()} never shows it, nor does a failed start.
 * <p>
 * A token is read without the whitespace around it: a secret mounted as a file ends in a line
 * break, which would otherwise go into every Bot API path (as {@code %0A}) and make Telegram
 * answer 404 to every call, pausing delivery as if the bot had been refused. What is left must be
 * a token's form ({@code <bot id>:<secret>}), or the service does not start: quotes, a variable's
 * name or a second line copied with it would fail the same way, later, on every send. The chat's id
 * is read the same way, and must be an id or a channel's {@code @username}.
 *
 * @param botToken the bot's token; without it notifications go to the dry-run sender
 * @param chatId the shop staff chat
 * @param apiUrl the Bot API base URL: scheme, host, optional port
 */
@Validated
@ConfigurationProperties("telegram")
record TelegramProperties(String botToken, String chatId, @DefaultValue("https://api.telegram.org") URI apiUrl) {

    /** BotFather's form: the bot's id, a colon, and the secret (letters, digits, '-', '_'). */
    private static final Pattern TOKEN = Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{1,200}");

    /** A chat as the Bot API names one: its id (a supergroup's is negative) or a public channel's {@code @username}. */
    private static final Pattern CHAT = Pattern.compile("-?[0-9]{1,20}|@[A-Za-z0-9_]{4,32}");

    TelegramProperties {
        botToken = botToken == null ? null : botToken.strip();
        chatId = chatId == null ? null : chatId.strip();
    }

    @AssertTrue(message = "telegram.chat-id (TELEGRAM_CHAT_ID) must be a chat's id (a group's starts with -100) "
            + "or a public channel's @username")
    boolean isChatIdWellFormed() {
        return !StringUtils.hasText(chatId) || CHAT.matcher(chatId).matches();
    }

    @AssertTrue(message = "telegram.bot-token (TELEGRAM_BOT_TOKEN) must be a bot token as BotFather gives it: "
            + "the bot's id, a colon, then letters, digits, '-' or '_' (the value is not shown)")
    boolean isBotTokenWellFormed() {
        return tokenMissing() || TOKEN.matcher(botToken).matches();
    }

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
