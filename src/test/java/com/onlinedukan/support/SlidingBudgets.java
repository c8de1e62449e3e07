package com.onlinedukan.support;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Telegram's budgets as the fake Bot API enforces them: sends per second for the bot, per minute and
 * per second for each chat, over sliding windows of the sends it admitted.
 */
final class SlidingBudgets {

    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;

    private final FakeBotApi.Budgets limits;
    private final long slackNanos;
    private final Deque<Long> bot = new ArrayDeque<>();
    private final Map<String, Deque<Long>> chats = new HashMap<>();

    SlidingBudgets(FakeBotApi.Budgets limits) {
        this.limits = limits;
        this.slackNanos = limits.slackMillis() * 1_000_000L;
    }

    /** Whether a send to {@code chatId} at {@code atNanos} fits every budget; if it does, it is counted. */
    boolean admit(String chatId, long atNanos) {
        if (limits.unlimited()) {
            return true;
        }
        synchronized (this) {
            long second = SECOND - slackNanos;
            long minute = MINUTE - slackNanos;
            Deque<Long> chat = chats.computeIfAbsent(String.valueOf(chatId), k -> new ArrayDeque<>());
            forgetBefore(bot, atNanos, second);
            forgetBefore(chat, atNanos, minute);
            long chatLastSecond = chat.stream().filter(t -> atNanos - t < second).count();
            if (over(limits.botPerSecond(), bot.size()) || over(limits.chatPerMinute(), chat.size())
                    || over(limits.chatPerSecond(), chatLastSecond)) {
                return false;
            }
            bot.addLast(atNanos);
            chat.addLast(atNanos);
            return true;
        }
    }

    private static boolean over(int limit, long used) {
        return limit > 0 && used >= limit;
    }

    private static void forgetBefore(Deque<Long> window, long now, long length) {
        while (!window.isEmpty() && now - window.peekFirst() >= length) {
            window.pollFirst();
        }
    }
}
