package com.onlinedukan.telegram;

import java.time.Duration;

/**
 * Sends to the shop's staff chat through the Bot API. The budgets (per bot, per chat), a
 * {@code retry_after} pause and a migrated chat id hold for every instance and survive a restart;
 * a circuit breaker stops calling Telegram while it fails for everyone. Never throws for
 * Telegram's answers: every result is a {@link SendOutcome}.
 */
public interface TelegramSender {

    /** How long until a send could go out: budgets, a {@code retry_after} pause, an open circuit. Zero if now. */
    Duration readyIn();

    /**
     * Sends one HTML message to the staff chat (following a chat migration by itself). Takes one
     * unit of the shared budgets first; when they, a pause or the open circuit do not allow a send
     * now, answers {@link SendOutcome.NotSent} without calling Telegram.
     */
    SendOutcome send(String html);

    /** {@link #send(String)} with inline keyboard buttons under the message (one row each). */
    default SendOutcome send(String html, java.util.List<Button> buttons) {
        return send(html);
    }

    /**
     * {@link #send(String)}, but the request leaves only while {@link System#nanoTime()} has not
     * passed {@code startByNanos}, checked after every wait and budget, just before the call: a
     * sender holding a claim that must be recorded within its lease gets {@link SendOutcome.NotSent}
     * instead of a send that starts too late to be recorded.
     */
    default SendOutcome send(String html, long startByNanos) {
        if (System.nanoTime() - startByNanos > 0) {
            return new SendOutcome.NotSent(Duration.ZERO, "too late to start a send that can still be recorded");
        }
        return send(html);
    }

    /** {@link #send(String, long)} with inline keyboard buttons under the message. */
    default SendOutcome send(String html, java.util.List<Button> buttons, long startByNanos) {
        if (System.nanoTime() - startByNanos > 0) {
            return new SendOutcome.NotSent(Duration.ZERO, "too late to start a send that can still be recorded");
        }
        return send(html, buttons);
    }

    /**
     * Asks Telegram whether the bot can reach the staff chat ({@code getChat}), sending nothing:
     * {@link SendOutcome.Delivered} (message id 0) when it can.
     */
    SendOutcome probe();

    /** The client as SREs see it. */
    TelegramStatus status();
}
