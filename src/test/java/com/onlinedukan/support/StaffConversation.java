package com.onlinedukan.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the staff do in the fake Bot API and what the bot does back, as Telegram would serve it:
 * presses are updates served by {@code getUpdates} (long polling, confirmed by the next offset,
 * a second poller at the same time refused with 409); {@code answerCallbackQuery},
 * {@code editMessageText}, {@code editMessageReplyMarkup} and {@code setWebhook} are recorded;
 * every {@code sendMessage} Telegram accepted is kept with its message id and whole body.
 */
public final class StaffConversation {

    /** A call the bot made, with its JSON body. */
    public record Call(String method, JsonNode body, Instant at) {

        public String text(String field) {
            JsonNode node = body.get(field);
            return node == null || node.isNull() ? null : node.asString();
        }
    }

    /** A message Telegram accepted, with the id it gave it. */
    public record Sent(long messageId, String chatId, JsonNode body, Instant at) {

        Sent(long messageId, String chatId, JsonNode body) {
            this(messageId, chatId, body, Instant.now());
        }

        public String text() {
            JsonNode node = body.get("text");
            return node == null ? "" : node.asString();
        }

        /** The order ids the message names ({@code <code>} tags; several in a digest). */
        public List<String> orderIds() {
            return FakeBotApi.OrderIds.in(text());
        }

        /** Whether it replies to another message (a reminder does). */
        public boolean isReply() {
            return body.get("reply_parameters") != null;
        }

        /** The index of this order's button: the only one, or in a digest the one labelled with the order's short id. */
        public int buttonOf(String orderId) {
            List<String> labels = labels(body);
            if (labels.size() == 1) {
                return 0;
            }
            for (int i = 0; i < labels.size(); i++) {
                if (labels.get(i).contains(orderId.substring(0, 8))) {
                    return i;
                }
            }
            throw new IllegalStateException("no button for order " + orderId + " in message " + messageId);
        }

        /** The {@code callback_data} of each inline button, in order. */
        public List<String> callbackData() {
            List<String> data = new ArrayList<>();
            JsonNode markup = body.get("reply_markup");
            if (markup != null && markup.get("inline_keyboard") != null) {
                markup.get("inline_keyboard").forEach(row -> row.forEach(b -> data.add(b.get("callback_data").asString())));
            }
            return data;
        }
    }

    /** The labels of the inline buttons in a sent or edited message's {@code reply_markup}, in order. */
    public static List<String> labels(JsonNode body) {
        List<String> labels = new ArrayList<>();
        JsonNode markup = body.get("reply_markup");
        if (markup != null && markup.get("inline_keyboard") != null) {
            markup.get("inline_keyboard").forEach(row -> row.forEach(b -> labels.add(b.get("text").asString())));
        }
        return labels;
    }

    private record Queued(long updateId, String json, boolean ignoreOffset) {
    }

    private final JsonMapper json;
    private final Queue<Queued> updates = new ConcurrentLinkedQueue<>();
    private final AtomicLong updateIds = new AtomicLong(1000);
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final AtomicInteger polling = new AtomicInteger();
    private final AtomicInteger polls = new AtomicInteger();
    private final AtomicInteger conflicts = new AtomicInteger();
    private final Queue<String> editRefusals = new ConcurrentLinkedQueue<>();
    private final Object arrived = new Object();

    StaffConversation(JsonMapper json) {
        this.json = json;
    }

    /** A press on a button with this callback data, by this user, on this message; its update id. */
    public long press(String callbackData, long userId, String firstName, String chatId, long messageId) {
        long id = updateIds.incrementAndGet();
        String update = "{\"update_id\":" + id + ",\"callback_query\":{\"id\":\"q" + id + "\",\"from\":{\"id\":" + userId
                + ",\"is_bot\":false,\"first_name\":" + json.writeValueAsString(firstName) + "},\"message\":{\"message_id\":"
                + messageId + ",\"date\":" + Instant.now().getEpochSecond() + ",\"chat\":{\"id\":" + chatId
                + ",\"type\":\"supergroup\"},\"text\":\"an order\"},\"chat_instance\":\"1\",\"data\":"
                + json.writeValueAsString(callbackData) + "}}";
        enqueue(new Queued(id, update, false));
        return id;
    }

    /** A press on the button of this accepted message at {@code index}. */
    public long press(Sent message, int index, long userId, String firstName) {
        return press(message.callbackData().get(index), userId, firstName, message.chatId(), message.messageId());
    }

    /** Any update body (a forged or malformed one, say), with a fresh update id put in; its id. */
    public long update(String jsonWithoutId) {
        long id = updateIds.incrementAndGet();
        enqueue(new Queued(id, "{\"update_id\":" + id + (jsonWithoutId.isBlank() ? "" : "," + jsonWithoutId) + "}", false));
        return id;
    }

    /** Serves an update again although it was confirmed (as a webhook's retry or a buggy proxy would). */
    public void serveAgain(long updateId, String json) {
        enqueue(new Queued(updateId, json, true));
    }

    /** The JSON of a press as {@link #press} builds it, for {@link #serveAgain}. */
    public String lastServed(long updateId) {
        return served.stream().filter(q -> q.updateId() == updateId).map(Queued::json).findFirst().orElseThrow();
    }

    private final List<Queued> served = new CopyOnWriteArrayList<>();

    private void enqueue(Queued update) {
        updates.add(update);
        synchronized (arrived) {
            arrived.notifyAll();
        }
    }

    /** The next {@code count} edits are refused with 400 and this description. */
    public void refuseEdits(int count, String description) {
        for (int i = 0; i < count; i++) {
            editRefusals.add(description);
        }
    }

    FakeBotApi.Answer.Reply answer(String method, JsonNode body) {
        switch (method) {
            case "getUpdates" -> {
                return poll(body);
            }
            case "answerCallbackQuery", "answercallbackquery", "setWebhook", "setwebhook" -> {
                calls.add(new Call(canonical(method), body, Instant.now()));
                return ok("true");
            }
            case "editMessageText", "editmessagetext", "editMessageReplyMarkup", "editmessagereplymarkup" -> {
                calls.add(new Call(canonical(method), body, Instant.now()));
                String refusal = editRefusals.poll();
                if (refusal != null) {
                    return FakeBotApi.Answer.error(400, refusal);
                }
                return ok("{\"message_id\":" + body.get("message_id").asLong() + ",\"date\":"
                        + Instant.now().getEpochSecond() + ",\"chat\":{\"id\":" + body.get("chat_id").asString()
                        + ",\"type\":\"supergroup\"},\"text\":\"edited\"}");
            }
            default -> {
                return null;
            }
        }
    }

    private static String canonical(String method) {
        return switch (method.toLowerCase()) {
            case "answercallbackquery" -> "answerCallbackQuery";
            case "setwebhook" -> "setWebhook";
            case "editmessagetext" -> "editMessageText";
            case "editmessagereplymarkup" -> "editMessageReplyMarkup";
            default -> method;
        };
    }

    private FakeBotApi.Answer.Reply poll(JsonNode body) {
        if (polling.incrementAndGet() > 1) {
            polling.decrementAndGet();
            conflicts.incrementAndGet();
            return FakeBotApi.Answer.error(409, "Conflict: terminated by other getUpdates request; make sure that only "
                    + "one bot instance is running");
        }
        try {
            polls.incrementAndGet();
            long offset = body.get("offset") == null || body.get("offset").isNull() ? 0 : body.get("offset").asLong();
            long timeout = body.get("timeout") == null || body.get("timeout").isNull() ? 0 : body.get("timeout").asLong();
            long deadline = System.nanoTime() + Duration.ofSeconds(timeout).toNanos();
            while (true) {
                // Confirmed by the offset: gone, as Telegram forgets them.
                updates.removeIf(q -> q.updateId() < offset && !q.ignoreOffset());
                List<Queued> due = new ArrayList<>(updates);
                if (!due.isEmpty() || System.nanoTime() >= deadline) {
                    due.stream().filter(Queued::ignoreOffset).forEach(updates::remove);
                    served.addAll(due);
                    return ok("[" + String.join(",", due.stream().map(Queued::json).toList()) + "]");
                }
                synchronized (arrived) {
                    arrived.wait(Math.max(1, Math.min(200, (deadline - System.nanoTime()) / 1_000_000)));
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ok("[]");
        }
        finally {
            polling.decrementAndGet();
        }
    }

    void sent(long messageId, String chatId, JsonNode body) {
        sent.add(new Sent(messageId, chatId, body));
    }

    /** The bot's calls of this method (answerCallbackQuery, editMessageText, ...), in order. */
    public List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    /** The answers to presses, by callback query id ("q" + update id). */
    public List<String> answersTo(long updateId) {
        return calls("answerCallbackQuery").stream().filter(c -> ("q" + updateId).equals(c.text("callback_query_id")))
                .map(c -> c.text("text")).toList();
    }

    /** The accepted messages from the {@code from}-th on (in order of acceptance), for a watcher that reads as they come. */
    public List<Sent> sentSince(int from) {
        int size = sent.size();
        return from >= size ? List.of() : List.copyOf(sent.subList(from, size));
    }

    /** Every accepted message whose text mentions {@code fragment}. */
    public List<Sent> sentMentioning(String fragment) {
        return sent.stream().filter(s -> s.text().contains(fragment)).toList();
    }

    /** Accepted messages that reply to this message ({@code reply_parameters.message_id}). */
    public List<Sent> repliesTo(long messageId) {
        return sent.stream().filter(s -> s.body().get("reply_parameters") != null
                && s.body().get("reply_parameters").get("message_id").asLong() == messageId).toList();
    }

    /** When Telegram accepted this message. */
    public Instant arrivedAt(Sent message) {
        return message.at();
    }

    /** Accepted messages to this chat. */
    public List<Sent> sentTo(String chatId) {
        return sent.stream().filter(s -> chatId.equals(s.chatId())).toList();
    }

    /** Edits (text or buttons) of this message. */
    public List<Call> editsOf(long messageId) {
        return calls.stream().filter(c -> c.method().startsWith("editMessage") && c.body().get("message_id") != null
                && c.body().get("message_id").asLong() == messageId).toList();
    }

    /** getUpdates calls answered (not refused), and those refused with 409 as a second poller. */
    public int polls() {
        return polls.get();
    }

    public int conflicts() {
        return conflicts.get();
    }

    /** Updates queued and not yet confirmed by an offset. */
    public int unconfirmed() {
        return updates.size();
    }

    private static FakeBotApi.Answer.Reply ok(String result) {
        return FakeBotApi.Answer.ok(result);
    }
}
