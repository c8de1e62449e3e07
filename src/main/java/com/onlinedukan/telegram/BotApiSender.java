package com.onlinedukan.telegram;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender when a bot token is configured. Before each call it asks, in this order, the circuit,
 * the chat's state in PostgreSQL (a {@code retry_after} pause, a migrated chat id) and the shared
 * budgets; then it calls the {@link BotApi} and records what Telegram said where every instance
 * sees it.
 */
class BotApiSender implements TelegramSender, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BotApiSender.class);
    /** {@link #readyIn()} is asked often between sends; the send path itself always reads afresh. */
    private static final long STATE_CACHE_NANOS = Duration.ofMillis(250).toNanos();
    /** A start-by far enough ahead to mean none (and still safe for {@code nanoTime} differences). */
    private static final long UNBOUNDED_NANOS = Long.MAX_VALUE / 4;
    static final String TOO_LATE = "too late to start a send that can still be recorded";

    private final BotApi api;
    private final StaffChat chat;
    private final SharedBudgets budgets;
    private final BotApiCircuit circuit;
    private final AtomicReference<Cached> cached = new AtomicReference<>();
    private final AtomicReference<String> migrationLogged = new AtomicReference<>();

    BotApiSender(BotApi api, StaffChat chat, SharedBudgets budgets, BotApiCircuit circuit) {
        this.api = api;
        this.chat = chat;
        this.budgets = budgets;
        this.circuit = circuit;
    }

    private record Cached(StaffChat.State state, long readAtNanos) {

        Duration pausedFor() {
            long left = state.pausedFor().toNanos() - (System.nanoTime() - readAtNanos);
            return Duration.ofNanos(Math.max(0, left));
        }
    }

    @Override
    public Duration readyIn() {
        Duration wait = circuit.readyIn();
        Cached current = cachedState();
        wait = max(wait, current.pausedFor());
        return max(wait, budgets.waitFor(current.state().chatId()));
    }

    @Override
    public SendOutcome send(String html) {
        return send(html, System.nanoTime() + UNBOUNDED_NANOS);
    }

    @Override
    public SendOutcome send(String html, long startByNanos) {
        return spend(startByNanos, id -> api.sendMessage(id, html));
    }

    @Override
    public SendOutcome send(String html, java.util.List<Button> buttons) {
        return send(html, buttons, System.nanoTime() + UNBOUNDED_NANOS);
    }

    @Override
    public SendOutcome send(String html, java.util.List<Button> buttons, long startByNanos) {
        if (buttons.isEmpty()) {
            return send(html, startByNanos);
        }
        return spend(startByNanos, id -> {
            BotApi.CanonicalSendMessage message = new BotApi.CanonicalSendMessage(id, html);
            message.setReplyMarkup(Keyboards.of(buttons));
            return api.execute(message);
        });
    }

    /**
     * Any call that puts something in a chat (an edit, a reply), behind the same circuit, pause
     * and staff chat budget as {@link #send}; {@code request} gets the staff chat's current id.
     */
    SendOutcome spend(Function<String, BotApi.Reply> request) {
        return spend(System.nanoTime() + UNBOUNDED_NANOS, request);
    }

    private SendOutcome spend(long startByNanos, Function<String, BotApi.Reply> request) {
        return guarded(startByNanos, state -> {
            if (!state.pausedFor().isZero()) {
                return new SendOutcome.NotSent(state.pausedFor(),
                        "Telegram asked to wait (retry_after) until " + state.pausedUntil());
            }
            if (!budgets.tryTake(state.chatId())) {
                Duration wait = budgets.waitFor(state.chatId());
                return new SendOutcome.NotSent(wait.isZero() ? Duration.ofMillis(10) : wait, "send budget spent (bot or chat)");
            }
            return null;
        }, request);
    }

    @Override
    public SendOutcome probe() {
        return guarded(System.nanoTime() + UNBOUNDED_NANOS, state -> budgets.tryTakeBot() ? null
                : new SendOutcome.NotSent(Duration.ofMillis(100), "the bot's send budget is spent"), api::getChat);
    }

    /**
     * Takes the circuit's permission, reads the chat's state and asks {@code gate} whether the call
     * may go (null) or what to answer instead; the circuit's permission is given back whenever no
     * call is made. No call starts after {@code startByNanos}: the state read and the budgets (a
     * PostgreSQL and a Redis round trip, pool waits included) come first, so they are inside the bound.
     */
    private SendOutcome guarded(long startByNanos, Function<StaffChat.State, SendOutcome> gate,
            Function<String, BotApi.Reply> request) {
        if (!circuit.tryEnter()) {
            return circuit.refusal();
        }
        StaffChat.State state;
        SendOutcome instead;
        try {
            state = freshState();
            instead = gate.apply(state);
        }
        catch (RuntimeException e) {
            circuit.unused();
            throw e;
        }
        if (instead == null && late(startByNanos)) {
            instead = new SendOutcome.NotSent(Duration.ZERO, TOO_LATE);
        }
        if (instead != null) {
            circuit.unused();
            return instead;
        }
        return call(state.chatId(), request, startByNanos);
    }

    @Override
    public TelegramStatus status() {
        try {
            StaffChat.State state = cachedState().state();
            return new TelegramStatus(false, state.chatId(), circuit.state(), state.pausedUntil());
        }
        catch (RuntimeException e) {
            // PostgreSQL is its own health component; what this client knows still holds.
            Cached last = cached.get();
            String chatId = last != null ? last.state().chatId() : chat.configured();
            return new TelegramStatus(false, chatId, circuit.state(), null);
        }
    }

    /** One call, with the circuit's permission already taken; a migration is followed once, at once. */
    private SendOutcome call(String chatId, Function<String, BotApi.Reply> request, long startByNanos) {
        BotApi.Reply reply = timed(chatId, request);
        if (reply instanceof BotApi.Migrated migrated) {
            moved(migrated.chatId());
            if (late(startByNanos)) {
                return new SendOutcome.NotSent(Duration.ZERO, TOO_LATE);
            }
            if (!circuit.tryEnter()) {
                return circuit.refusal();
            }
            reply = timed(migrated.chatId(), request);
            if (reply instanceof BotApi.Migrated again) {
                return new SendOutcome.Transient("the chat moved twice in a row: " + again.error(), false);
            }
        }
        return ((BotApi.Answered) reply).outcome();
    }

    /** Makes the call and reports it to the circuit; records a {@code retry_after} for every instance. */
    private BotApi.Reply timed(String chatId, Function<String, BotApi.Reply> request) {
        long start = System.nanoTime();
        BotApi.Reply reply;
        try {
            reply = request.apply(chatId);
        }
        catch (RuntimeException e) {
            circuit.unused();
            throw e;
        }
        if (reply instanceof BotApi.Answered answered && answered.outcome() instanceof SendOutcome.Transient t) {
            boolean widespread = circuit.failed(start, t.error());
            return new BotApi.Answered(new SendOutcome.Transient(t.error(), widespread));
        }
        circuit.succeeded(start);
        if (reply instanceof BotApi.Answered answered && answered.outcome() instanceof SendOutcome.RetryAfter r) {
            chat.pause(r.delay());
            cached.set(null);
        }
        return reply;
    }

    private void moved(String newChatId) {
        chat.moveTo(newChatId);
        cached.set(null);
        logMigration(newChatId);
    }

    private StaffChat.State freshState() {
        StaffChat.State state = chat.read();
        cached.set(new Cached(state, System.nanoTime()));
        if (state.migrated(chat.configured())) {
            logMigration(state.chatId());
        }
        return state;
    }

    private Cached cachedState() {
        Cached current = cached.get();
        if (current == null || System.nanoTime() - current.readAtNanos() > STATE_CACHE_NANOS) {
            freshState();
            current = cached.get();
        }
        return current;
    }

    private void logMigration(String newChatId) {
        if (!newChatId.equals(migrationLogged.getAndSet(newChatId))) {
            log.warn("The staff chat {} became a supergroup and now has id {}; messages go there. "
                    + "Set TELEGRAM_CHAT_ID={} to make it the configured chat.", chat.configured(), newChatId, newChatId);
        }
    }

    /** Closes the budgets' Redis connection. */
    @Override
    public void close() {
        budgets.close();
    }

    private static boolean late(long startByNanos) {
        return System.nanoTime() - startByNanos > 0;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
