package com.onlinedukan.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A local stand-in for the Telegram Bot API (the one edge that cannot exist here), spoken to by
 * the real telegrambots client over HTTP. It records every {@code sendMessage} (and, apart, every
 * {@code getChat}), answers like Telegram does, and can be told to fail, rate-limit, slow down or stall.
 */
public final class FakeBotApi implements AutoCloseable {

    /** One request (sendMessage or getChat) as Telegram would see it, with the time it arrived. */
    public record Request(String token, String method, String chatId, String text, String parseMode, Instant at) {
    }

    private static final JsonMapper json = JsonMapper.builder().build();

    private final MockWebServer server = new MockWebServer();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Request> accepted = new CopyOnWriteArrayList<>();
    private final List<Request> chatLookups = new CopyOnWriteArrayList<>();
    private volatile MockResponse failingAll;
    private volatile Duration delay = Duration.ZERO;
    private final Queue<MockResponse> scripted = new ConcurrentLinkedQueue<>();
    private final AtomicLong messageIds = new AtomicLong(100);
    private volatile CountDownLatch gate;
    private volatile int chatLimitPerMinute;
    private final java.util.concurrent.atomic.AtomicInteger rateLimited = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.Map<String, MockResponse> refusedMentioning = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicReference<Runnable> beforeNextOk = new java.util.concurrent.atomic.AtomicReference<>();

    private final StaffConversation staff = new StaffConversation(json);

    private FakeBotApi() {
    }

    /**
     * The staff's side: presses queued for {@code getUpdates}, the bot's answers, edits and replies.
     * Separate from {@link #requests()}, which stay the new-order messages.
     */
    public StaffConversation staff() {
        return staff;
    }

    public static FakeBotApi start() {
        FakeBotApi fake = new FakeBotApi();
        fake.server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return fake.answer(request);
            }
        });
        try {
            fake.server.start();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fake;
    }

    /** The base URL to configure as {@code TELEGRAM_API_URL}: scheme, host and port. */
    public String url() {
        return "http://" + server.getHostName() + ":" + server.getPort();
    }

    private MockResponse answer(RecordedRequest http) {
        String[] path = http.getPath() == null ? new String[0] : http.getPath().split("/");
        if (path.length < 3 || !path[1].startsWith("bot")) {
            return new MockResponse().setResponseCode(404).setBody("{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
        }
        JsonNode body = json.readTree(http.getBody().readUtf8());
        MockResponse conversation = staff.answer(path[2], body);
        if (conversation != null) {
            return conversation;
        }
        Request request = new Request(path[1].substring(3), path[2], text(body, "chat_id"), text(body, "text"),
                text(body, "parse_mode"), Instant.now());
        boolean lookup = "getChat".equalsIgnoreCase(request.method());
        (lookup ? chatLookups : requests).add(request);
        awaitGate();
        pause(delay);
        MockResponse failing = failingAll;
        if (failing != null) {
            return failing;
        }
        if (lookup) {
            return ok("{\"ok\":true,\"result\":{\"id\":" + request.chatId() + ",\"type\":\"supergroup\","
                    + "\"title\":\"Shop staff\",\"accent_color_id\":0,\"max_reaction_count\":11}}");
        }
        MockResponse next = scripted.poll();
        if (next != null) {
            return next;
        }
        for (var refused : refusedMentioning.entrySet()) {
            if (request.text() != null && request.text().contains(refused.getKey())) {
                return refused.getValue();
            }
        }
        synchronized (accepted) {
            if (chatLimitPerMinute > 0) {
                Instant windowStart = request.at().minusSeconds(60);
                long recent = accepted.stream()
                        .filter(r -> r.chatId() != null && r.chatId().equals(request.chatId()) && r.at().isAfter(windowStart))
                        .count();
                if (recent >= chatLimitPerMinute) {
                    rateLimited.incrementAndGet();
                    return new MockResponse().setResponseCode(429).setHeader("Content-Type", "application/json")
                            .setBody("{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 3\","
                                    + "\"parameters\":{\"retry_after\":3}}");
                }
            }
            accepted.add(request);
        }
        Runnable hook = beforeNextOk.getAndSet(null);
        if (hook != null) {
            hook.run();
        }
        long id = messageIds.incrementAndGet();
        staff.sent(id, request.chatId(), body);
        return ok("{\"ok\":true,\"result\":{\"message_id\":" + id + ",\"date\":" + Instant.now().getEpochSecond()
                + ",\"chat\":{\"id\":" + request.chatId() + ",\"type\":\"supergroup\"},\"text\":"
                + json.writeValueAsString(request.text() == null ? "" : request.text()) + "}}");
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

    private static MockResponse ok(String body) {
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(body);
    }

    /** Every request (sendMessage and getChat) fails with this HTTP status and description until {@link #recover()}. */
    public void failAll(int status, String description) {
        failingAll = failure(status, description);
    }

    /** Like a chat the bot was removed from: every request gets 400 "chat not found" until {@link #recover()}. */
    public void refuseChat() {
        failAll(400, "Bad Request: chat not found");
    }

    /** Ends {@link #failAll}: requests are answered normally again. */
    public void recover() {
        failingAll = null;
    }

    /** Every answer comes after this long (zero, the default, for at once). */
    public void delay(Duration latency) {
        delay = latency;
    }

    private static MockResponse failure(int status, String description) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                .setBody("{\"ok\":false,\"error_code\":" + status + ",\"description\":"
                        + json.writeValueAsString(description) + "}");
    }

    /** The next {@code count} sends fail with this HTTP status and Telegram error description. */
    public void failNext(int count, int status, String description) {
        for (int i = 0; i < count; i++) {
            scripted.add(failure(status, description));
        }
    }

    /**
     * Every sendMessage whose text contains {@code fragment} is refused with this status and
     * description (as Telegram refuses one message's text), until {@link #clearScript()}.
     */
    public void refuseMessagesMentioning(String fragment, int status, String description) {
        refusedMentioning.put(fragment, failure(status, description));
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
        scripted.add(new MockResponse().setResponseCode(400).setHeader("Content-Type", "application/json")
                .setBody("{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: group chat was upgraded to a "
                        + "supergroup chat\",\"parameters\":{\"migrate_to_chat_id\":" + newChatId + "}}"));
    }

    /** The next send gets 429 with {@code parameters.retry_after}. */
    public void rateLimitNext(int retryAfterSeconds) {
        scripted.add(new MockResponse().setResponseCode(429).setHeader("Content-Type", "application/json")
                .setBody("{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after "
                        + retryAfterSeconds + "\",\"parameters\":{\"retry_after\":" + retryAfterSeconds + "}}"));
    }

    /** Like Telegram in a group: more than {@code perMinute} messages to one chat within 60 s get a 429. */
    public void limitEachChatTo(int perMinute) {
        chatLimitPerMinute = perMinute;
    }

    /** How many sends this fake refused with 429 because of {@link #limitEachChatTo}. */
    public int rateLimitedCount() {
        return rateLimited.get();
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

    /** Every getChat received, answered or not, in arrival order (not among {@link #requests()}). */
    public List<Request> chatLookups() {
        return List.copyOf(chatLookups);
    }

    /** Every sendMessage received, answered or not, in arrival order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The messages Telegram accepted (answered ok). */
    public List<Request> accepted() {
        return List.copyOf(accepted);
    }

    /** The accepted messages whose text mentions {@code fragment} (an order id, say). */
    public List<Request> acceptedMentioning(String fragment) {
        return accepted.stream().filter(r -> r.text() != null && r.text().contains(fragment)).toList();
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

    public List<Request> requestsMentioning(String fragment) {
        return requests.stream().filter(r -> r.text() != null && r.text().contains(fragment)).toList();
    }

    @Override
    public void close() {
        release();
        try {
            server.shutdown();
        }
        catch (IOException e) {
            // already down
        }
    }
}
