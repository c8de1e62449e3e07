package com.onlinedukan.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The one local stand-in for the Telegram Bot API (the one edge that cannot exist here), spoken to
 * by the real telegrambots client over HTTP, and used by the tests, the benchmark and the chaos run.
 * It answers like Telegram does, keeps an index of the order ids ({@code <code>} tags, several in a
 * digest) of every accepted {@code sendMessage}, serves the staff's presses through
 * {@link #staff()}, and can be told to fail, rate-limit, enforce budgets, slow down, stall, or to
 * follow an {@link AnswerPolicy} (the chaos run's faults). {@link #start(int, boolean)} opens one
 * port per sender, so each copy of a message is known by who sent it, and can leave out the
 * per-request records the benchmark's thousands of messages a second do not need.
 */
public final class FakeBotApi implements AutoCloseable {

    /** One request (sendMessage or getChat) as Telegram would see it, with the time it arrived. */
    public record Request(String token, String method, String chatId, String text, String parseMode, Instant at) {
    }

    /**
     * One accepted copy of an order in a message.
     *
     * @param atNanos when Telegram accepted it (System.nanoTime)
     * @param port the port (the sender) it came through, from 0
     * @param answerLate the answer came after the client's timeout or could not be written: the
     *     sender cannot know the message arrived
     */
    public record Copy(long atNanos, int port, boolean answerLate) {
    }

    /** A call as an {@link AnswerPolicy} sees it, before the fake answers it. */
    public record Call(int port, String method, String chatId, long atNanos) {

        /** Whether this is a call of that Bot API method (Telegram's method names ignore case). */
        public boolean is(String name) {
            return method.equalsIgnoreCase(name);
        }
    }

    /**
     * Telegram's budgets, enforced over sliding windows with a 429 ({@code retry_after} 3) for a send
     * over one; 0 is unlimited. {@code slackMillis} forgives clock jitter at the windows' edges.
     */
    public record Budgets(int botPerSecond, int chatPerMinute, int chatPerSecond, long slackMillis) {
        public static final Budgets NONE = new Budgets(0, 0, 0, 0);

        boolean unlimited() {
            return botPerSecond == 0 && chatPerMinute == 0 && chatPerSecond == 0;
        }
    }

    /** Since the fake started: calls of any method, sendMessage calls, messages accepted, answers of {@link #failAll}, 429s of {@link #budgets}, hung calls. */
    public record Counters(long calls, long sends, long accepted, long failed, long rateLimited, long hung) {
    }

    /** How the fake answers one call. */
    public sealed interface Answer {

        Answer NORMALLY = new Normally();

        /** As Telegram would, after every fault the fake was told of. */
        record Normally() implements Answer {
        }

        /** This status and body, at once, before anything is accepted. */
        record Reply(int status, String body) implements Answer {
        }

        /**
         * Accepted at once, answered only after {@code delay}; {@code pastClientTimeout}: the sender may
         * well have given up by then, so its copy counts as {@link Copy#answerLate()}.
         */
        record After(Duration delay, boolean pastClientTimeout) implements Answer {
        }

        /** Taken and never answered: the connection is closed after {@code duration}. */
        record Hang(Duration duration) implements Answer {
        }

        static Reply ok(String resultJson) {
            return new Reply(200, "{\"ok\":true,\"result\":" + resultJson + "}");
        }

        static Reply error(int status, String description) {
            return new Reply(status, "{\"ok\":false,\"error_code\":" + status + ",\"description\":" + quote(description) + "}");
        }

        static Reply retryAfter(long seconds) {
            return new Reply(429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after "
                    + seconds + "\",\"parameters\":{\"retry_after\":" + seconds + "}}");
        }

        /** The group became a supergroup with this id. */
        static Reply migratedTo(String chatId) {
            return new Reply(400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: group chat was upgraded "
                    + "to a supergroup chat\",\"parameters\":{\"migrate_to_chat_id\":" + chatId + "}}");
        }
    }

    /** Decides, before anything else, how to answer a call: the place for a run's own faults. */
    @FunctionalInterface
    public interface AnswerPolicy {
        AnswerPolicy NONE = call -> Answer.NORMALLY;

        Answer answer(Call call);
    }

    /**
     * Writes every character outside ASCII as a JSON escape, as JSON allows: what a test has Telegram
     * say arrives as it is, unpaired surrogates included (UTF-8 would turn one into '?').
     */
    private static final JsonMapper json = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final Answer.Reply NOT_FOUND = Answer.error(404, "Not Found");

    private final List<HttpServer> servers = new ArrayList<>();
    private final boolean recording;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Request> accepted = new CopyOnWriteArrayList<>();
    private final List<Request> chatLookups = new CopyOnWriteArrayList<>();
    private final Map<String, List<Copy>> copies = new ConcurrentHashMap<>();
    private final Queue<Answer.Reply> scripted = new ConcurrentLinkedQueue<>();
    private final Map<String, Answer.Reply> refusedMentioning = new ConcurrentHashMap<>();
    private final AtomicReference<Runnable> beforeNextOk = new AtomicReference<>();
    private final AtomicLong messageIds = new AtomicLong(100);
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong sends = new AtomicLong();
    private final AtomicLong acceptedCount = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong hung = new AtomicLong();
    private final StaffConversation staff = new StaffConversation(json);
    private volatile Answer.Reply failingAll;
    private volatile Duration delay = Duration.ZERO;
    private volatile CountDownLatch gate;
    private volatile SlidingBudgets budgets = new SlidingBudgets(Budgets.NONE);
    private volatile AnswerPolicy policy = AnswerPolicy.NONE;

    private FakeBotApi(boolean recording) {
        this.recording = recording;
    }

    /** One port, every request recorded: what a test needs. */
    public static FakeBotApi start() {
        return start(1, true);
    }

    /**
     * @param ports one per sender ({@link #url(int)}), so a copy is known by the port it came through
     * @param recording keep every request and accepted body ({@link #requests()}, {@link #staff()}'s
     *     sent messages); without it only the counters and the order index are kept, as the benchmark needs
     */
    public static FakeBotApi start(int ports, boolean recording) {
        FakeBotApi fake = new FakeBotApi(recording);
        try {
            for (int i = 0; i < ports; i++) {
                int port = i;
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
                server.createContext("/", exchange -> fake.handle(exchange, port));
                server.setExecutor(Threads.perTask("fake-bot-api"));
                server.start();
                fake.servers.add(server);
            }
        }
        catch (IOException e) {
            fake.close();
            throw new UncheckedIOException(e);
        }
        return fake;
    }

    /** The base URL to configure as {@code TELEGRAM_API_URL}: scheme, host and port. */
    public String url() {
        return url(0);
    }

    /** The base URL of the {@code port}-th port (from 0). */
    public String url(int port) {
        return "http://127.0.0.1:" + servers.get(port).getAddress().getPort();
    }

    /**
     * The staff's side: presses queued for {@code getUpdates}, the bot's answers, edits and replies.
     * Separate from {@link #requests()}, which stay the new-order messages.
     */
    public StaffConversation staff() {
        return staff;
    }

    private void handle(HttpExchange exchange, int port) {
        long at = System.nanoTime();
        calls.incrementAndGet();
        try (exchange) {
            byte[] raw;
            try (InputStream in = exchange.getRequestBody()) {
                raw = in.readAllBytes();
            }
            String[] path = exchange.getRequestURI().getPath().split("/");
            if (path.length < 3 || !path[1].startsWith("bot")) {
                respond(exchange, NOT_FOUND);
                return;
            }
            JsonNode body = raw.length == 0 ? json.createObjectNode() : json.readTree(raw);
            String method = path[2];
            String chatId = text(body, "chat_id");
            if ("sendMessage".equalsIgnoreCase(method)) {
                sends.incrementAndGet();
            }
            Answer planned = policy.answer(new Call(port, method, chatId, at));
            if (planned instanceof Answer.Hang hang) {
                hung.incrementAndGet();
                pause(hang.duration());
                return;
            }
            if (planned instanceof Answer.Reply reply) {
                respond(exchange, reply);
                return;
            }
            Answer.Reply conversation = staff.answer(method, body);
            if (conversation != null) {
                respond(exchange, conversation);
                return;
            }
            boolean lookup = "getChat".equalsIgnoreCase(method);
            if (!lookup && !"sendMessage".equalsIgnoreCase(method)) {
                respond(exchange, NOT_FOUND);
                return;
            }
            send(exchange, port, path[1].substring(3), method, chatId, body, lookup, planned);
        }
        catch (IOException | RuntimeException e) {
            respond(exchange, Answer.error(400, "Bad Request"));
        }
    }

    private void send(HttpExchange exchange, int port, String token, String method, String chatId, JsonNode body,
            boolean lookup, Answer planned) {
        String text = text(body, "text");
        if (recording) {
            (lookup ? chatLookups : requests).add(new Request(token, method, chatId, text, text(body, "parse_mode"), Instant.now()));
        }
        awaitGate();
        pause(delay);
        Answer.Reply failing = failingAll;
        if (failing != null) {
            failed.incrementAndGet();
            respond(exchange, failing);
            return;
        }
        if (lookup) {
            respond(exchange, Answer.ok("{\"id\":" + chatId + ",\"type\":\"supergroup\",\"title\":\"Shop staff\","
                    + "\"accent_color_id\":0,\"max_reaction_count\":11}"));
            return;
        }
        Answer.Reply refusal = refusal(text);
        if (refusal != null) {
            respond(exchange, refusal);
            return;
        }
        long acceptedAt = System.nanoTime();
        if (!budgets.admit(chatId, acceptedAt)) {
            rateLimited.incrementAndGet();
            respond(exchange, Answer.retryAfter(3));
            return;
        }
        acceptedCount.incrementAndGet();
        if (recording) {
            accepted.add(new Request(token, method, chatId, text, text(body, "parse_mode"), Instant.now()));
        }
        Runnable hook = beforeNextOk.getAndSet(null);
        if (hook != null) {
            hook.run();
        }
        long id = messageIds.incrementAndGet();
        if (recording) {
            staff.sent(id, chatId, body);
        }
        Answer.After after = planned instanceof Answer.After late ? late : null;
        if (after != null) {
            pause(after.delay());
        }
        boolean answered = respond(exchange, Answer.ok("{\"message_id\":" + id + ",\"date\":" + Instant.now().getEpochSecond()
                + ",\"chat\":{\"id\":" + chatId + ",\"type\":\"supergroup\"},\"text\":" + quote(text == null ? "" : text) + "}"));
        boolean late = !answered || (after != null && after.pastClientTimeout());
        // Copies of an order's message only: a reminder (a reply) or an escalation (no button) names
        // the order too, but is not another copy of its notification.
        if (text != null && body.has("reply_markup") && !body.has("reply_parameters") && !body.has("reply_to_message_id")) {
            for (String orderId : OrderIds.in(text)) {
                copies.computeIfAbsent(orderId, k -> new CopyOnWriteArrayList<>()).add(new Copy(acceptedAt, port, late));
            }
        }
    }

    private Answer.Reply refusal(String text) {
        Answer.Reply next = scripted.poll();
        if (next != null) {
            return next;
        }
        if (text != null && !refusedMentioning.isEmpty()) {
            for (var refused : refusedMentioning.entrySet()) {
                if (text.contains(refused.getKey())) {
                    return refused.getValue();
                }
            }
        }
        return null;
    }

    private void awaitGate() {
        CountDownLatch current = gate;
        if (current != null) {
            try {
                current.await(60, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void pause(Duration duration) {
        if (!duration.isZero()) {
            try {
                Thread.sleep(duration.toMillis());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asString();
    }

    static String quote(String text) {
        return json.writeValueAsString(text);
    }

    /** Writes the answer; false when the sender was no longer there to read it. */
    private static boolean respond(HttpExchange exchange, Answer.Reply reply) {
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        try {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }

    /** Every call is first put to {@code policy} (the chaos run's faults); {@link AnswerPolicy#NONE} ends it. */
    public void answerPolicy(AnswerPolicy policy) {
        this.policy = policy;
    }

    /** Every request (sendMessage and getChat) fails with this HTTP status and description until {@link #recover()}. */
    public void failAll(int status, String description) {
        failingAll = Answer.error(status, description);
    }

    /**
     * Every request is answered with this HTTP status and this body as it stands (a proxy's HTML page,
     * an empty body, JSON of another shape) until {@link #recover()}.
     */
    public void answerAllWith(int status, String body) {
        failingAll = new Answer.Reply(status, body);
    }

    /** Like a chat the bot was removed from: every request gets 400 "chat not found" until {@link #recover()}. */
    public void refuseChat() {
        failAll(400, "Bad Request: chat not found");
    }

    /** Ends {@link #failAll}: requests are answered normally again. */
    public void recover() {
        failingAll = null;
    }

    /** Every sendMessage and getChat is answered (and a message accepted) only after this long; zero, the default, for at once. */
    public void delay(Duration latency) {
        delay = latency;
    }

    /** The next {@code count} sends fail with this HTTP status and Telegram error description. */
    public void failNext(int count, int status, String description) {
        for (int i = 0; i < count; i++) {
            scripted.add(Answer.error(status, description));
        }
    }

    /**
     * Every sendMessage whose text contains {@code fragment} is refused with this status and
     * description (as Telegram refuses one message's text), until {@link #clearScript()}.
     */
    public void refuseMessagesMentioning(String fragment, int status, String description) {
        refusedMentioning.put(fragment, Answer.error(status, description));
    }

    /**
     * Runs {@code action} once, when the next sendMessage has been accepted and just before its
     * {@code ok} answer is written: a fault that strikes right after Telegram took the message.
     */
    public void beforeNextOkAnswer(Runnable action) {
        beforeNextOk.set(action);
    }

    /** The next send is refused because the group became a supergroup with this id. */
    public void migrateNext(String newChatId) {
        scripted.add(Answer.migratedTo(newChatId));
    }

    /** The next send gets 429 with {@code parameters.retry_after}. */
    public void rateLimitNext(int retryAfterSeconds) {
        scripted.add(Answer.retryAfter(retryAfterSeconds));
    }

    /** Enforces these budgets from now on (fresh windows); {@link Budgets#NONE} lifts them. */
    public void budgets(Budgets limits) {
        budgets = new SlidingBudgets(limits);
    }

    /** Like Telegram in a group: more than {@code perMinute} messages to one chat within 60 s get a 429. */
    public void limitEachChatTo(int perMinute) {
        budgets(new Budgets(0, perMinute, 0, 0));
    }

    /** How many sends this fake refused with 429 because of its {@link #budgets}. */
    public int rateLimitedCount() {
        return (int) rateLimited.get();
    }

    /** Drops anything scripted that was not used. */
    public void clearScript() {
        scripted.clear();
        refusedMentioning.clear();
        beforeNextOk.set(null);
    }

    /** Requests are received but not answered until {@link #release()}. */
    public void hold() {
        gate = new CountDownLatch(1);
    }

    public void release() {
        CountDownLatch current = gate;
        gate = null;
        if (current != null) {
            current.countDown();
        }
    }

    public Counters counters() {
        return new Counters(calls.get(), sends.get(), acceptedCount.get(), failed.get(), rateLimited.get(), hung.get());
    }

    /** Every accepted copy of each order id, by order id. */
    public Map<String, List<Copy>> copies() {
        return copies;
    }

    /** When each accepted copy of {@code orderId} arrived (System.nanoTime); empty when none did. */
    public List<Long> arrivals(String orderId) {
        List<Copy> its = copies.get(orderId);
        return its == null ? List.of() : its.stream().map(Copy::atNanos).toList();
    }

    /** Every getChat received, answered or not, in arrival order (not among {@link #requests()}). */
    public List<Request> chatLookups() {
        return List.copyOf(recorded(chatLookups));
    }

    /** Every sendMessage received, answered or not, in arrival order. */
    public List<Request> requests() {
        return List.copyOf(recorded(requests));
    }

    /** The messages Telegram accepted (answered ok). */
    public List<Request> accepted() {
        return List.copyOf(recorded(accepted));
    }

    /** The accepted messages whose text mentions {@code fragment} (an order id, say). */
    public List<Request> acceptedMentioning(String fragment) {
        return recorded(accepted).stream().filter(r -> r.text() != null && r.text().contains(fragment)).toList();
    }

    public List<Request> requestsMentioning(String fragment) {
        return recorded(requests).stream().filter(r -> r.text() != null && r.text().contains(fragment)).toList();
    }

    private List<Request> recorded(List<Request> list) {
        if (!recording) {
            throw new IllegalStateException("this fake Bot API was started without recording requests");
        }
        return list;
    }

    /**
     * Waits up to {@code within} until every id is in an accepted message, then checks that each
     * is in exactly one: all delivered, none twice.
     */
    public void awaitEachAcceptedOnce(Collection<String> ids, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200))
                .until(() -> ids.stream().allMatch(id -> !acceptedMentioning(id).isEmpty()));
        for (String id : ids) {
            assertThat(acceptedMentioning(id)).as("messages mentioning " + id).hasSize(1);
        }
    }

    @Override
    public void close() {
        release();
        servers.forEach(server -> server.stop(0));
    }

    /** The order ids in a message's text: each {@code <code>uuid</code>}, found without a regex (the hot path). */
    static final class OrderIds {
        private static final String OPEN = "<code>";
        private static final String CLOSE = "</code>";
        private static final int UUID_LENGTH = 36;

        private OrderIds() {
        }

        static List<String> in(String text) {
            List<String> ids = new ArrayList<>(1);
            for (int open = text.indexOf(OPEN); open >= 0; open = text.indexOf(OPEN, open + 1)) {
                int start = open + OPEN.length();
                int end = start + UUID_LENGTH;
                if (text.startsWith(CLOSE, end) && uuidShaped(text, start, end)) {
                    ids.add(text.substring(start, end));
                }
            }
            return ids;
        }

        private static boolean uuidShaped(String text, int start, int end) {
            for (int i = start; i < end; i++) {
                char c = text.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c == '-')) {
                    return false;
                }
            }
            return true;
        }
    }
}
