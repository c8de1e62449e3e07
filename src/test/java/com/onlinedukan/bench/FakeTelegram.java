package com.onlinedukan.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Bot API as the benchmark needs it: answers {@code sendMessage} ok after a configurable delay,
 * or 502 to everything during an outage; records when each order id (found in the text, several
 * in a digest) arrived; and, when limits are set, enforces Telegram's budgets over sliding windows
 * and counts the 429s it had to answer.
 */
final class FakeTelegram implements AutoCloseable {

    private static final Pattern ORDER_ID = Pattern.compile("<code>([0-9a-f-]{36})</code>");
    private static final JsonMapper json = JsonMapper.builder().build();

    /** Budgets to enforce; 0 = unlimited. {@code slackMillis} forgives clock jitter at window edges. */
    record Limits(int botPerSecond, int chatPerMinute, int chatPerSecond, long slackMillis) {
        static final Limits NONE = new Limits(0, 0, 0, 0);
    }

    /** Arrival (System.nanoTime) of every accepted copy of an order id. */
    private final Map<String, ConcurrentLinkedQueue<Long>> arrivals = new ConcurrentHashMap<>();
    private final Deque<Long> botWindow = new ArrayDeque<>();
    private final Deque<Long> chatWindow = new ArrayDeque<>();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final HttpServer server;
    private volatile long delayMillis;
    private volatile boolean outage;
    private volatile Limits limits = Limits.NONE;

    FakeTelegram() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.createContext("/", this::handle);
        server.setExecutor(Threads.perTask("fake-telegram"));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void delay(long millis) {
        delayMillis = millis;
    }

    void outage(boolean on) {
        outage = on;
    }

    void limits(Limits limits) {
        synchronized (botWindow) {
            botWindow.clear();
            chatWindow.clear();
        }
        this.limits = limits;
    }

    long messages() {
        return messages.get();
    }

    long requests() {
        return requests.get();
    }

    long rateLimited() {
        return rateLimited.get();
    }

    long failed() {
        return failed.get();
    }

    /** Arrival times of the copies of {@code orderId} (empty when none arrived). */
    Collection<Long> arrivals(String orderId) {
        ConcurrentLinkedQueue<Long> times = arrivals.get(orderId);
        return times == null ? java.util.List.of() : times;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long at = System.nanoTime();
        requests.incrementAndGet();
        try (exchange) {
            byte[] raw;
            try (InputStream in = exchange.getRequestBody()) {
                raw = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            String method = path.substring(path.lastIndexOf('/') + 1);
            JsonNode body = raw.length == 0 ? null : json.readTree(raw);
            String chatId = body == null || body.get("chat_id") == null ? "0" : body.get("chat_id").asString();
            sleep(delayMillis);
            if (outage) {
                failed.incrementAndGet();
                answer(exchange, 502, "{\"ok\":false,\"error_code\":502,\"description\":\"Bad Gateway\"}");
                return;
            }
            if ("getChat".equalsIgnoreCase(method)) {
                answer(exchange, 200, "{\"ok\":true,\"result\":{\"id\":" + chatId
                        + ",\"type\":\"supergroup\",\"title\":\"Shop staff\"}}");
                return;
            }
            if (!admit(at)) {
                rateLimited.incrementAndGet();
                answer(exchange, 429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 3\","
                        + "\"parameters\":{\"retry_after\":3}}");
                return;
            }
            String text = body == null || body.get("text") == null ? "" : body.get("text").asString();
            long received = System.nanoTime();
            Matcher ids = ORDER_ID.matcher(text);
            while (ids.find()) {
                arrivals.computeIfAbsent(ids.group(1), k -> new ConcurrentLinkedQueue<>()).add(received);
            }
            long id = messages.incrementAndGet();
            answer(exchange, 200, "{\"ok\":true,\"result\":{\"message_id\":" + id + ",\"date\":"
                    + System.currentTimeMillis() / 1000 + ",\"chat\":{\"id\":" + chatId
                    + ",\"type\":\"supergroup\"},\"text\":\"ok\"}}");
        }
        catch (RuntimeException e) {
            answer(exchange, 400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request\"}");
        }
    }

    /** One chat (the staff chat) is all the service talks to, so the chat windows are global too. */
    private boolean admit(long at) {
        Limits current = limits;
        if (current.botPerSecond() == 0 && current.chatPerMinute() == 0 && current.chatPerSecond() == 0) {
            return true;
        }
        long slack = current.slackMillis() * 1_000_000L;
        synchronized (botWindow) {
            long second = 1_000_000_000L - slack;
            long minute = 60_000_000_000L - slack;
            while (!botWindow.isEmpty() && at - botWindow.peekFirst() >= second) {
                botWindow.pollFirst();
            }
            while (!chatWindow.isEmpty() && at - chatWindow.peekFirst() >= minute) {
                chatWindow.pollFirst();
            }
            long chatLastSecond = chatWindow.stream().filter(t -> at - t < second).count();
            if ((current.botPerSecond() > 0 && botWindow.size() >= current.botPerSecond())
                    || (current.chatPerMinute() > 0 && chatWindow.size() >= current.chatPerMinute())
                    || (current.chatPerSecond() > 0 && chatLastSecond >= current.chatPerSecond())) {
                return false;
            }
            botWindow.addLast(at);
            chatWindow.addLast(at);
            return true;
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
        server.stop(0);
    }
}
