package com.onlinedukan.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.FakeBotApi.Answer;

/**
 * The chaos run's faults at the fake Bot API, as its answer policy: 5xx to every call, hangs
 * (the call is taken, never answered), slow answers (the message is accepted at once, the answer
 * may come after the client's timeout), flood control (429 with {@code retry_after} to every send
 * until it ends; a send that comes inside it is recorded), a chat moved to a supergroup
 * ({@code migrate_to_chat_id}), and a refusal it was told (to every send and {@code getChat}, so a
 * probe sees it too).
 */
final class TelegramFaults implements FakeBotApi.AnswerPolicy {

    /** What the fake does to a call now. */
    enum Mode { NORMAL, FAIL_5XX, HANG, SLOW, REFUSE }

    /** A send that arrived while a {@code retry_after} told the bot to wait (after a grace for sends already on their way). */
    record EarlySend(long atNanos, int instance, long pauseEndNanos) {
    }

    private static final Answer.Reply BAD_GATEWAY = Answer.error(502, "Bad Gateway");

    private final List<EarlySend> earlySends = new CopyOnWriteArrayList<>();
    /** The staff chat's ids before its migrations: a send to one is refused with the current id. */
    private final Set<String> retiredChats = ConcurrentHashMap.newKeySet();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong migrations = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final long timeoutMillis;
    private volatile Mode mode = Mode.NORMAL;
    private volatile long pausedUntilNanos;
    private volatile long pauseAnsweredNanos;
    private volatile String chatId;
    private volatile FaultPlan.Refusal refusal;

    /**
     * @param timeoutMillis the service's {@code dukan.telegram.timeout}: how long hangs and slow answers last
     * @param chatId the chat the service is configured with
     */
    TelegramFaults(long timeoutMillis, String chatId) {
        this.timeoutMillis = timeoutMillis;
        this.chatId = chatId;
    }

    @Override
    public Answer answer(FakeBotApi.Call call) {
        Mode now = mode;
        if (now == Mode.HANG) {
            return new Answer.Hang(Duration.ofMillis(timeoutMillis + 3000));
        }
        if (now == Mode.FAIL_5XX) {
            failed.incrementAndGet();
            return BAD_GATEWAY;
        }
        boolean send = call.is("sendMessage");
        if (now == Mode.REFUSE && (send || call.is("getChat"))) {
            FaultPlan.Refusal answer = refusal;
            refused.incrementAndGet();
            return Answer.error(answer.code(), answer.description());
        }
        if (!send) {
            return Answer.NORMALLY;
        }
        long pausedUntil = pausedUntilNanos;
        if (call.atNanos() < pausedUntil) {
            if (pauseAnsweredNanos == 0) {
                pauseAnsweredNanos = call.atNanos();
            }
            else if (call.atNanos() - pauseAnsweredNanos > 1_000_000_000L) {
                earlySends.add(new EarlySend(call.atNanos(), call.port(), pausedUntil));
            }
            rateLimited.incrementAndGet();
            return Answer.retryAfter(Math.max(1, (pausedUntil - call.atNanos() + 999_999_999L) / 1_000_000_000L));
        }
        if (call.chatId() != null && retiredChats.contains(call.chatId())) {
            return Answer.migratedTo(chatId);
        }
        if (now == Mode.SLOW) {
            long delay = (long) (timeoutMillis * ThreadLocalRandom.current().nextDouble(0.3, 1.6));
            // Late: past 80 % of the client's timeout the answer may well arrive after the client gave up.
            return new Answer.After(Duration.ofMillis(delay), delay > timeoutMillis * 0.8);
        }
        return Answer.NORMALLY;
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    /** Like Telegram's flood control: every send for the next {@code seconds} gets 429 with {@code retry_after}. */
    void rateLimit(int seconds) {
        pauseAnsweredNanos = 0;
        pausedUntilNanos = System.nanoTime() + seconds * 1_000_000_000L;
    }

    /** Every call (sends and {@code getChat}) is answered with {@code refusal} until the mode is set back. */
    void refuse(FaultPlan.Refusal refusal) {
        this.refusal = refusal;
        this.mode = Mode.REFUSE;
    }

    /** Calls answered with a refusal so far. */
    long refused() {
        return refused.get();
    }

    /** The group becomes a supergroup: sends to its old ids are refused with {@code migrate_to_chat_id}. */
    String migrate() {
        long next = -1002000000000L - ThreadLocalRandom.current().nextInt(1_000_000);
        retiredChats.add(chatId);
        chatId = Long.toString(next);
        migrations.incrementAndGet();
        return chatId;
    }

    List<EarlySend> earlySends() {
        return List.copyOf(earlySends);
    }

    String counters(FakeBotApi.Counters fake) {
        return String.format("%d sendMessage calls, %d messages accepted, %d answered 5xx, %d answered 429, %d hung, "
                + "%d chat migrations, %d calls refused", fake.sends(), fake.accepted(), failed.get(), rateLimited.get(),
                fake.hung(), migrations.get(), refused.get());
    }
}
