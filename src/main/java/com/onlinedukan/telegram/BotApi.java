package com.onlinedukan.telegram;

import java.time.Duration;
import java.util.regex.Pattern;

import okhttp3.OkHttpClient;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;
import org.telegram.telegrambots.meta.api.methods.groupadministration.GetChat;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.objects.ResponseParameters;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/**
 * The Bot API over HTTP, through the telegrambots client, and nothing else: one call, Telegram's
 * answer sorted into a {@link Reply}. Budgets, pauses and the circuit are the caller's business.
 * Error texts are scrubbed of the token, and made storable ({@link TelegramText}), before they leave this class.
 */
class BotApi {

    /**
     * The allow-list of answers proven to be about the message itself, whoever the chat: Telegram's
     * known wordings for a text that is too long or empty, entities that do not parse, a keyboard or
     * a reply target it cannot take. Every other refusal (a 4xx that is not a 429 or a migration),
     * known or not, is about the bot or the chat: a list of chat errors would always be one short.
     */
    private static final Pattern ABOUT_THE_MESSAGE = Pattern.compile(String.join("|",
            "message is too long", "message_too_long", "text is too long", "entities_too_long",
            "message text is empty", "message_empty", "text must be non-empty", "message must be non-empty",
            "can't parse entities", "can't find end of", "unsupported start tag", "unclosed start tag",
            "entity_bounds_invalid", "entity_text_invalid",
            "reply markup is too long", "button_data_invalid", "button_url_invalid", "button_type_invalid",
            "can't parse inline keyboard button", "inline keyboard expected", "can't parse reply keyboard markup",
            "message to be replied not found", "replied message not found"),
            Pattern.CASE_INSENSITIVE);

    private final OkHttpTelegramClient client;
    private final String token;
    private final Duration longestWait;

    BotApi(TelegramProperties telegram, Duration timeout, Duration longestWait) {
        this.token = telegram.botToken();
        this.longestWait = longestWait;
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .callTimeout(timeout)
                .build();
        var url = telegram.apiUrl();
        int port = url.getPort() != -1 ? url.getPort() : "http".equals(url.getScheme()) ? 80 : 443;
        this.client = new OkHttpTelegramClient(http, token, new TelegramUrl(url.getScheme(), url.getHost(), port, false));
    }

    /** Telegram's answer to one call. */
    sealed interface Reply {
    }

    /** An answer that is an outcome as it stands. */
    record Answered(SendOutcome outcome) implements Reply {
    }

    /** The group became a supergroup: the chat lives on under {@code chatId}. */
    record Migrated(String chatId, String error) implements Reply {
    }

    Reply sendMessage(String chatId, String html) {
        return call(new CanonicalSendMessage(chatId, html));
    }

    /** Whether the bot can see the chat; sends nothing. Delivered carries message id 0. */
    Reply getChat(String chatId) {
        return call(new CanonicalGetChat(chatId));
    }

    /** Any Bot API method, Telegram's answer sorted as a send's (a Boolean or other result is Delivered, message id 0). */
    Reply execute(BotApiMethod<?> method) {
        return call(method);
    }

    private Reply call(BotApiMethod<?> method) {
        try {
            Object result = client.execute(method);
            long messageId = result instanceof Message message ? message.getMessageId() : 0;
            return new Answered(new SendOutcome.Delivered(messageId));
        }
        catch (TelegramApiRequestException e) {
            return classify(e);
        }
        catch (TelegramApiException | RuntimeException e) {
            return new Answered(new SendOutcome.Transient(scrub(describe(e)), false));
        }
    }

    private Reply classify(TelegramApiRequestException e) {
        Integer code = e.getErrorCode();
        if (code == null || code == 0) {
            // No Bot API answer at all: a proxy's HTML page, an empty or cut body, JSON of another shape
            // (the library reports it as error code 0). Not a refusal of the bot or the chat: tried again.
            return new Answered(new SendOutcome.Transient(
                    scrub("Telegram's answer is not the Bot API's: " + describe(e)), false));
        }
        String error = scrub(code + " " + e.getApiResponse());
        ResponseParameters parameters = e.getParameters();
        if (parameters != null && parameters.getMigrateToChatId() != null) {
            return new Migrated(parameters.getMigrateToChatId().toString(), error);
        }
        if (code >= 500) {
            return new Answered(new SendOutcome.Transient(error, false));
        }
        if (code == 429) {
            int seconds = parameters != null && parameters.getRetryAfter() != null ? parameters.getRetryAfter() : 1;
            Duration asked = Duration.ofSeconds(Math.max(1, seconds));
            if (asked.compareTo(longestWait) > 0) {
                return new Answered(new SendOutcome.RetryAfter(longestWait, error + " (waiting " + longestWait.toSeconds()
                        + " s, dukan.telegram.max-retry-after, then asking again)"));
            }
            return new Answered(new SendOutcome.RetryAfter(asked, error));
        }
        if (code >= 400 && code < 500 && aboutTheMessage(e.getApiResponse())) {
            return new Answered(new SendOutcome.Permanent(error));
        }
        return new Answered(new SendOutcome.Refused(error));
    }

    /** Whether Telegram's description is one of the wordings proven to be about the message alone. */
    static boolean aboutTheMessage(String description) {
        return description != null && ABOUT_THE_MESSAGE.matcher(description).find();
    }

    /**
     * sendMessage as the Bot API documents it: the library spells the method and the parse mode
     * in lower case, which Telegram accepts but proxies and fakes matching the documented names may not.
     */
    static final class CanonicalSendMessage extends SendMessage {

        CanonicalSendMessage(String chatId, String html) {
            super(chatId, html);
            setParseMode("HTML");
            setDisableWebPagePreview(true);
        }

        @Override
        public String getMethod() {
            return "sendMessage";
        }
    }

    /** getChat under its documented name, as {@link CanonicalSendMessage}. */
    static final class CanonicalGetChat extends GetChat {

        CanonicalGetChat(String chatId) {
            super(chatId);
        }

        @Override
        public String getMethod() {
            return "getChat";
        }
    }

    private static String describe(Throwable e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return e.getClass().getSimpleName() + ": " + e.getMessage()
                + (cause != e ? " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")" : "");
    }

    private String scrub(String text) {
        return TelegramText.scrubbed(text, token);
    }
}
