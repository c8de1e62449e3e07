package com.onlinedukan.telegram;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The bot's side of the conversation with the staff beyond new-order messages: it reads what
 * the staff did (button presses, by {@code getUpdates} or a webhook), answers a press, edits a
 * message and replies to one. Edits, replies and escalations spend the staff chat's budget like
 * a new order's message (and wait behind the same pause and circuit); answering a press does not,
 * as Telegram does not count it as a message. Never throws for Telegram's answers.
 */
public interface StaffBot {

    /** Whether there is a bot to talk to (false in a dry run: nothing to poll, nothing to answer). */
    boolean live();

    /** The bot's public id (the token's part before the colon): the key of its update offset. */
    String botId();

    /**
     * {@code getUpdates} from {@code offset}, waiting up to {@code wait} for one (long polling);
     * asking with an offset confirms every update before it to Telegram.
     */
    Polled poll(long offset, Duration wait);

    /** An update as a webhook delivered it (its JSON body); empty when it is not an update at all. */
    Optional<Update> read(String json);

    /**
     * The secret Telegram sends with every webhook call ({@code X-Telegram-Bot-Api-Secret-Token}):
     * derived from the bot token, so every instance knows it without another setting. Never log it.
     */
    String webhookSecret();

    /** {@code setWebhook}: Telegram posts updates to {@code url}, with {@code secret} in a header. */
    SendOutcome setWebhook(String url, String secret);

    /** {@code answerCallbackQuery}: the spinner on the pressing user's button stops, showing {@code text}. */
    SendOutcome answer(String callbackQueryId, String text);

    /** {@code editMessageText} of a message the bot sent, in HTML, with these buttons (none: removed). */
    SendOutcome edit(String chatId, long messageId, String html, List<Button> buttons);

    /** {@code editMessageReplyMarkup}: only the buttons of a message change. */
    SendOutcome editButtons(String chatId, long messageId, List<Button> buttons);

    /** A message in the staff chat as a reply to one of its messages ({@code reply_parameters}). */
    SendOutcome reply(String chatId, long messageId, String html);

    /** A message to another chat (the escalation chat), on the staff chat's budget. */
    SendOutcome sendTo(String chatId, String html);

    /** What a {@code getUpdates} brought. */
    sealed interface Polled {
    }

    /** The updates, oldest first (none when the wait ran out). */
    record Updates(List<Update> updates) implements Polled {
    }

    /** 409: another poller (another process with the same bot) or a webhook holds the updates. */
    record Conflict(String error) implements Polled {
    }

    /** Telegram or the network failed; try again later. */
    record Failed(String error) implements Polled {
    }

    /** One update, by its id. */
    sealed interface Update {

        long updateId();
    }

    /**
     * A press on one of the bot's inline buttons.
     *
     * @param data the button's {@code callback_data} as Telegram sent it back: untrusted input
     * @param chatId the chat of the message with the button; null when Telegram does not say
     * @param messageId that message; null when Telegram does not say
     */
    record Press(long updateId, String callbackQueryId, long userId, String userName, String data, String chatId,
            Long messageId) implements Update {
    }

    /** Anything else (a message in the chat, a member joining): nothing to do but confirm it. */
    record Other(long updateId) implements Update {
    }
}
