package com.onlinedukan.telegram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.OkHttpClient;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.AnswerCallbackQuery;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.EditMessageReplyMarkup;
import org.telegram.telegrambots.meta.api.methods.updatingmessages.EditMessageText;
import org.telegram.telegrambots.meta.api.objects.CallbackQuery;
import org.telegram.telegrambots.meta.api.objects.ReplyParameters;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.message.MaybeInaccessibleMessage;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/**
 * The {@link StaffBot} when a bot token is configured: calls that put something in a chat go
 * through the {@link BotApiSender}'s gate (circuit, pause, shared budgets); {@code getUpdates} has
 * a client of its own whose timeout outlasts the long poll.
 */
class TelegramStaffBot implements StaffBot {

    private static final ObjectMapper updates = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final BotApi api;
    private final BotApiSender sender;
    private final OkHttpTelegramClient polling;
    private final String token;
    private final String botId;

    TelegramStaffBot(BotApi api, BotApiSender sender, TelegramProperties telegram, Duration longestPoll, Duration timeout) {
        this.api = api;
        this.sender = sender;
        this.token = telegram.botToken();
        this.botId = telegram.botId();
        Duration call = longestPoll.plus(timeout);
        OkHttpClient http = new OkHttpClient.Builder().connectTimeout(timeout).readTimeout(call).writeTimeout(timeout)
                .callTimeout(call).build();
        var url = telegram.apiUrl();
        int port = url.getPort() != -1 ? url.getPort() : "http".equals(url.getScheme()) ? 80 : 443;
        this.polling = new OkHttpTelegramClient(http, token, new TelegramUrl(url.getScheme(), url.getHost(), port, false));
    }

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public String botId() {
        return botId;
    }

    @Override
    public Polled poll(long offset, Duration wait) {
        GetUpdates request = new CanonicalGetUpdates();
        request.setOffset(Math.toIntExact(offset));
        request.setTimeout((int) Math.max(0, wait.toSeconds()));
        request.setLimit(100);
        request.setAllowedUpdates(List.of("callback_query"));
        try {
            List<Update> polled = new ArrayList<>();
            for (org.telegram.telegrambots.meta.api.objects.Update update : polling.execute(request)) {
                polled.add(translate(update));
            }
            return new Updates(polled);
        }
        catch (TelegramApiRequestException e) {
            String error = scrub(e.getErrorCode() + " " + e.getApiResponse());
            return Integer.valueOf(409).equals(e.getErrorCode()) ? new Conflict(error) : new Failed(error);
        }
        catch (TelegramApiException | RuntimeException e) {
            return new Failed(scrub(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    @Override
    public Optional<Update> read(String json) {
        try {
            var update = updates.readValue(json, org.telegram.telegrambots.meta.api.objects.Update.class);
            return update == null || update.getUpdateId() == null ? Optional.empty() : Optional.of(translate(update));
        }
        catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Ours, from the library's: only what a press means; anything else is {@link Other}. */
    static Update translate(org.telegram.telegrambots.meta.api.objects.Update update) {
        long id = update.getUpdateId();
        CallbackQuery query = update.getCallbackQuery();
        if (query == null || query.getId() == null || query.getFrom() == null || query.getFrom().getId() == null) {
            return new Other(id);
        }
        MaybeInaccessibleMessage message = query.getMessage();
        String chatId = message == null || message.getChatId() == null ? null : message.getChatId().toString();
        Long messageId = message == null || message.getMessageId() == null ? null : message.getMessageId().longValue();
        return new Press(id, query.getId(), query.getFrom().getId(), name(query.getFrom()), query.getData(), chatId,
                messageId);
    }

    /** Who pressed, as the staff see it: stored with the order taken, so any name must fit (taken_by_name, 200). */
    private static String name(User user) {
        String full = ((user.getFirstName() == null ? "" : user.getFirstName()) + " "
                + (user.getLastName() == null ? "" : user.getLastName())).strip();
        if (full.isEmpty() && user.getUserName() != null) {
            full = "@" + user.getUserName();
        }
        return full.isEmpty() ? "user " + user.getId() : TelegramText.storable(full, NAME_CHARS);
    }

    /** The most of a name kept (the column taken_by_name): Telegram's first and last names are 64 each. */
    static final int NAME_CHARS = 200;

    @Override
    public String webhookSecret() {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(token.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(
                    mac.doFinal("dukan-webhook".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public SendOutcome setWebhook(String url, String secret) {
        return outcome(api.execute(new JsonSetWebhook(url, secret)));
    }

    @Override
    public SendOutcome answer(String callbackQueryId, String text) {
        return outcome(api.execute(new AnswerCallbackQuery(callbackQueryId, text, false, null, null)));
    }

    @Override
    public SendOutcome edit(String chatId, long messageId, String html, List<Button> buttons) {
        EditMessageText request = EditMessageText.builder().chatId(chatId).messageId(Math.toIntExact(messageId))
                .text(html).parseMode("HTML").replyMarkup(Keyboards.of(buttons)).build();
        request.setDisableWebPagePreview(true);
        return sender.spend(ignored -> api.execute(request));
    }

    @Override
    public SendOutcome editButtons(String chatId, long messageId, List<Button> buttons) {
        EditMessageReplyMarkup request = EditMessageReplyMarkup.builder().chatId(chatId)
                .messageId(Math.toIntExact(messageId)).replyMarkup(Keyboards.of(buttons)).build();
        return sender.spend(ignored -> api.execute(request));
    }

    @Override
    public SendOutcome reply(String chatId, long messageId, String html) {
        BotApi.CanonicalSendMessage request = new BotApi.CanonicalSendMessage(chatId, html);
        request.setReplyParameters(ReplyParameters.builder().messageId(Math.toIntExact(messageId))
                .allowSendingWithoutReply(true).build());
        return sender.spend(ignored -> api.execute(request));
    }

    @Override
    public SendOutcome sendTo(String chatId, String html) {
        return sender.spend(ignored -> api.execute(new BotApi.CanonicalSendMessage(chatId, html)));
    }

    private static SendOutcome outcome(BotApi.Reply reply) {
        return reply instanceof BotApi.Answered answered ? answered.outcome()
                : new SendOutcome.Permanent("the chat moved: " + ((BotApi.Migrated) reply).error());
    }

    private String scrub(String text) {
        return TelegramText.scrubbed(text, token);
    }

    /**
     * setWebhook as JSON (the library's is a multipart upload, for a certificate we do not send),
     * one connection at a time so updates arrive in order, each after the previous was applied.
     */
    static final class JsonSetWebhook extends org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethodBoolean {

        @com.fasterxml.jackson.annotation.JsonProperty("url")
        private final String url;
        @com.fasterxml.jackson.annotation.JsonProperty("secret_token")
        private final String secretToken;
        @com.fasterxml.jackson.annotation.JsonProperty("max_connections")
        private final int maxConnections = 1;
        @com.fasterxml.jackson.annotation.JsonProperty("allowed_updates")
        private final List<String> allowedUpdates = List.of("callback_query");

        JsonSetWebhook(String url, String secretToken) {
            this.url = url;
            this.secretToken = secretToken;
        }

        @Override
        public String getMethod() {
            return "setWebhook";
        }
    }

    /** getUpdates under its documented name, as {@link BotApi.CanonicalSendMessage}. */
    static final class CanonicalGetUpdates extends GetUpdates {

        @Override
        public String getMethod() {
            return "getUpdates";
        }

        /**
         * One update the library cannot read (a field of a type it does not expect) must not make
         * the whole batch unreadable, or the poller would ask for it forever: it is read as its id alone.
         */
        @Override
        public java.util.ArrayList<org.telegram.telegrambots.meta.api.objects.Update> deserializeResponse(String answer)
                throws TelegramApiRequestException {
            try {
                return super.deserializeResponse(answer);
            }
            catch (TelegramApiRequestException e) {
                return leniently(answer, e);
            }
        }

        private static java.util.ArrayList<org.telegram.telegrambots.meta.api.objects.Update> leniently(String answer,
                TelegramApiRequestException failure) throws TelegramApiRequestException {
            com.fasterxml.jackson.databind.JsonNode result;
            try {
                result = updates.readTree(answer).get("result");
            }
            catch (Exception e) {
                throw failure;
            }
            if (result == null || !result.isArray()) {
                throw failure; // Telegram's refusal (ok: false, a 409 say), as the library read it
            }
            java.util.ArrayList<org.telegram.telegrambots.meta.api.objects.Update> read = new java.util.ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode node : result) {
                try {
                    read.add(updates.treeToValue(node, org.telegram.telegrambots.meta.api.objects.Update.class));
                }
                catch (Exception e) {
                    if (node.path("update_id").canConvertToInt()) {
                        var bare = new org.telegram.telegrambots.meta.api.objects.Update();
                        bare.setUpdateId(node.path("update_id").asInt());
                        read.add(bare);
                    }
                }
            }
            return read;
        }
    }
}
