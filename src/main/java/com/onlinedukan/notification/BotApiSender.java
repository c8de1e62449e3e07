package com.onlinedukan.notification;

import java.time.Duration;

import okhttp3.OkHttpClient;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.objects.ResponseParameters;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/**
 * Sends through the telegrambots client to {@code {api-url}/bot{token}/sendMessage} and sorts
 * Telegram's answers into outcomes. Error texts are scrubbed of the token before they go anywhere.
 */
class BotApiSender implements TelegramSender {

    private final OkHttpTelegramClient client;
    private final String token;

    BotApiSender(TelegramProperties telegram, Duration timeout) {
        this.token = telegram.botToken();
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .callTimeout(timeout)
                .build();
        var url = telegram.apiUrl();
        int port = url.getPort() != -1 ? url.getPort() : "http".equals(url.getScheme()) ? 80 : 443;
        this.client = new OkHttpTelegramClient(http, token, new TelegramUrl(url.getScheme(), url.getHost(), port, false));
    }

    @Override
    public SendOutcome send(String chatId, String html) {
        try {
            Message message = client.execute(new CanonicalSendMessage(chatId, html));
            return new SendOutcome.Delivered(message.getMessageId());
        }
        catch (TelegramApiRequestException e) {
            return classify(e);
        }
        catch (TelegramApiException | RuntimeException e) {
            return new SendOutcome.Transient(scrub(describe(e)));
        }
    }

    private SendOutcome classify(TelegramApiRequestException e) {
        Integer code = e.getErrorCode();
        String error = scrub(code == null ? describe(e) : code + " " + e.getApiResponse());
        ResponseParameters parameters = e.getParameters();
        if (parameters != null && parameters.getMigrateToChatId() != null) {
            return new SendOutcome.ChatMigrated(parameters.getMigrateToChatId().toString(), error);
        }
        if (code == null || code >= 500) {
            return new SendOutcome.Transient(error);
        }
        if (code == 429) {
            int seconds = parameters != null && parameters.getRetryAfter() != null ? parameters.getRetryAfter() : 1;
            return new SendOutcome.RetryAfter(Duration.ofSeconds(seconds), error);
        }
        return new SendOutcome.Permanent(error);
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

    private static String describe(Throwable e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return e.getClass().getSimpleName() + ": " + e.getMessage()
                + (cause != e ? " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")" : "");
    }

    private String scrub(String text) {
        return text == null ? null : text.replace(token, "<token>");
    }
}
