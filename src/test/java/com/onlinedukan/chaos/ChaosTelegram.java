package com.onlinedukan.chaos;

import com.onlinedukan.bench.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Bot API with faults, one port per service instance so each copy of a message is known by its
 * sender. It records every order id (in {@code <code>} tags, several in a digest) of each accepted
 * {@code sendMessage}, and on request answers 5xx, 429 with {@code retry_after} (to every send until
 * it ends), hangs (accepts the request, never answers), answers slowly (the message is accepted at
 * once, the answer may come after the client's timeout), moves the chat ({@code migrate_to_chat_id}) or
 * refuses the chat with an error it was told (to every send and {@code getChat}, so a probe sees it too).
 */
final class ChaosTelegram implements AutoCloseable {

    private static final Pattern ORDER_ID = Pattern.compile("<code>([0-9a-f-]{36})</code>");
    private static final JsonMapper json = JsonMapper.builder().build();

    /** What the fake does to a send now. */
    enum Mode { NORMAL, FAIL_5XX, HANG, SLOW, REFUSE }

    /**
     * One accepted copy of an order in a message.
     *
     * @param atNanos when Telegram accepted it (System.nanoTime)
     * @param instance the sending instance (by the port it used)
     * @param answerLate the answer came after the client's timeout or could not be written: the
     *     sender cannot know the message arrived
     */
    record Copy(long atNanos, int instance, boolean answerLate) {
    }

    /** A send that arrived while a {@code retry_after} told the bot to wait (after a grace for sends already on their way). */
    record EarlySend(long atNanos, int instance, long pauseEndNanos) {
    }

    private final List<HttpServer> servers = new ArrayList<>();
    private final Map<String, List<Copy>> copies = new ConcurrentHashMap<>();
    private final List<EarlySend> earlySends = new CopyOnWriteArrayList<>();
    private final AtomicLong messageIds = new AtomicLong();
    private final AtomicLong sends = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong hung = new AtomicLong();
    private final AtomicLong migrations = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final long timeoutMillis;
    private volatile Mode mode = Mode.NORMAL;
    private volatile long pausedUntilNanos;
    private volatile long pauseAnsweredNanos;
    private volatile int retryAfterSeconds;
    private volatile String chatId;
    private volatile FaultPlan.Refusal refusal;

    /**
     * @param instances how many senders (one port each)
     * @param timeoutMillis the service's {@code dukan.telegram.timeout}: how long hangs and slow answers last
     * @param chatId the chat the service is configured with
     */
    ChaosTelegram(int instances, long timeoutMillis, String chatId) throws IOException {
        this.timeoutMillis = timeoutMillis;
        this.chatId = chatId;
        for (int i = 0; i < instances; i++) {
            int instance = i;
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
            server.createContext("/", exchange -> handle(exchange, instance));
            server.setExecutor(Threads.perTask("fake-telegram"));
            server.start();
            servers.add(server);
        }
    }

    String url(int instance) {
        return "http://127.0.0.1:" + servers.get(instance).getAddress().getPort();
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    /** Like Telegram's flood control: every send for the next {@code seconds} gets 429 with {@code retry_after}. */
    void rateLimit(int seconds) {
        retryAfterSeconds = seconds;
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

    /** The group becomes a supergroup: sends to any other chat id are refused with {@code migrate_to_chat_id}. */
    String migrate() {
        long next = -1002000000000L - ThreadLocalRandom.current().nextInt(1_000_000);
        chatId = Long.toString(next);
        migrations.incrementAndGet();
        return chatId;
    }

    Map<String, List<Copy>> copies() {
        return copies;
    }

    List<EarlySend> earlySends() {
        return List.copyOf(earlySends);
    }

    long sends() {
        return sends.get();
    }

    long messages() {
        return messageIds.get();
    }

    String counters() {
        return String.format("%d sendMessage calls, %d messages accepted, %d answered 5xx, %d answered 429, %d hung, "
                + "%d chat migrations, %d calls refused", sends.get(), messageIds.get(), failed.get(), rateLimited.get(), hung.get(),
                migrations.get(), refused.get());
    }

    private void handle(HttpExchange exchange, int instance) throws IOException {
        long at = System.nanoTime();
        try (exchange) {
            byte[] raw;
            try (InputStream in = exchange.getRequestBody()) {
                raw = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            String method = path.substring(path.lastIndexOf('/') + 1);
            JsonNode body = raw.length == 0 ? null : json.readTree(raw);
            String chat = field(body, "chat_id", "0");
            Mode now = mode;
            if (now == Mode.HANG) {
                // Accepted, never answered: the client's timeout ends it; the connection is closed later.
                hung.incrementAndGet();
                sleep(timeoutMillis + 3000);
                return;
            }
            if (now == Mode.FAIL_5XX) {
                failed.incrementAndGet();
                answer(exchange, 502, "{\"ok\":false,\"error_code\":502,\"description\":\"Bad Gateway\"}");
                return;
            }
            if (now == Mode.REFUSE && ("getChat".equalsIgnoreCase(method) || "sendMessage".equalsIgnoreCase(method))) {
                FaultPlan.Refusal answer = refusal;
                refused.incrementAndGet();
                answer(exchange, answer.code(), "{\"ok\":false,\"error_code\":" + answer.code() + ",\"description\":"
                        + json.writeValueAsString(answer.description()) + "}");
                return;
            }
            if ("getChat".equalsIgnoreCase(method)) {
                answer(exchange, 200, "{\"ok\":true,\"result\":{\"id\":" + chat + ",\"type\":\"supergroup\",\"title\":\"Shop staff\"}}");
                return;
            }
            if (!"sendMessage".equalsIgnoreCase(method)) {
                answer(exchange, 404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
                return;
            }
            sends.incrementAndGet();
            long pausedUntil = pausedUntilNanos;
            if (at < pausedUntil) {
                if (pauseAnsweredNanos == 0) {
                    pauseAnsweredNanos = at;
                }
                else if (at - pauseAnsweredNanos > 1_000_000_000L) {
                    earlySends.add(new EarlySend(at, instance, pausedUntil));
                }
                rateLimited.incrementAndGet();
                long left = Math.max(1, (pausedUntil - at + 999_999_999L) / 1_000_000_000L);
                answer(exchange, 429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after "
                        + left + "\",\"parameters\":{\"retry_after\":" + left + "}}");
                return;
            }
            String current = chatId;
            if (!current.equals(chat)) {
                answer(exchange, 400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: group chat was "
                        + "upgraded to a supergroup chat\",\"parameters\":{\"migrate_to_chat_id\":" + current + "}}");
                return;
            }
            String text = field(body, "text", "");
            long delay = now == Mode.SLOW ? (long) (timeoutMillis * ThreadLocalRandom.current().nextDouble(0.3, 1.6)) : 0;
            List<String> ids = new ArrayList<>();
            Matcher matcher = ORDER_ID.matcher(text);
            while (matcher.find()) {
                ids.add(matcher.group(1));
            }
            long id = messageIds.incrementAndGet();
            sleep(delay);
            boolean answered = answerQuietly(exchange, 200, "{\"ok\":true,\"result\":{\"message_id\":" + id + ",\"date\":"
                    + System.currentTimeMillis() / 1000 + ",\"chat\":{\"id\":" + chat + ",\"type\":\"supergroup\"},\"text\":\"ok\"}}");
            // Late: past 80 % of the client's timeout the answer may well arrive after the client gave up.
            boolean late = !answered || delay > timeoutMillis * 0.8;
            for (String orderId : ids) {
                copies.computeIfAbsent(orderId, k -> new CopyOnWriteArrayList<>()).add(new Copy(at, instance, late));
            }
        }
        catch (RuntimeException e) {
            answerQuietly(exchange, 400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request\"}");
        }
    }

    private static String field(JsonNode body, String name, String otherwise) {
        return body == null || body.get(name) == null ? otherwise : body.get(name).asString();
    }

    private static boolean answerQuietly(HttpExchange exchange, int status, String body) {
        try {
            answer(exchange, status, body);
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        servers.forEach(server -> server.stop(0));
    }
}
