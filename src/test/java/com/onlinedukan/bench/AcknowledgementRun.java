package com.onlinedukan.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.OpsClient;
import com.onlinedukan.support.Orders;
import com.onlinedukan.support.Runner;
import com.onlinedukan.support.StaffConversation.Sent;
import com.onlinedukan.support.StaffConversation;
import tools.jackson.databind.JsonNode;

/**
 * Taking orders, from a run against the packaged jar ({@code bench/acknowledgement-run.sh}): the jar as
 * its own process, configured by environment variables only, against the PostgreSQL and Redis the script
 * started and the tests' fake Bot API ({@link FakeBotApi}), which serves presses through {@code getUpdates}
 * and records {@code answerCallbackQuery}, {@code editMessageText} and every message. It places
 * {@code --orders} orders over HTTP, waits for each message, presses the "Take" button of {@code --take} of
 * them as soon as their message is there (the first {@code --double} of those pressed again by a second
 * user, one press served again with the same update id), leaves the rest alone, waits past two periods of
 * {@code acknowledge-within}, then counts from what the fake recorded and from the service's HTTP API
 * ({@code GET /api/orders/{id}}, {@code GET /api/ops/acknowledgements}, {@code /actuator/prometheus}).
 * With {@code --one-by-one} each order is placed only once the previous one's message is there, so none
 * share a digest. Prints a table; exits 1 when a count is off.
 */
public final class AcknowledgementRun {

    static final String ESCALATION_CHAT = "-1009999999999";
    static final String OPS = OpsClient.basic("ops", "bench");

    final Map<String, String> args;
    final FakeBotApi telegram = FakeBotApi.start();
    final StaffConversation staff = telegram.staff();
    final int orders;
    final int take;
    final int doubled;
    final Duration within;
    final boolean oneByOne;
    Process service;
    int port;

    /** One order's press plan and what came of it. */
    static final class Order {
        final String id;
        final int index;
        final boolean taken;
        final boolean twice;
        volatile Sent message;
        volatile Long firstPress;
        volatile Long secondPress;

        Order(String id, int index, boolean taken, boolean twice) {
            this.id = id;
            this.index = index;
            this.taken = taken;
            this.twice = twice;
        }

        String firstName() {
            return "Taker " + index;
        }
    }

    final Map<String, Order> plan = new ConcurrentHashMap<>();
    final List<Order> placed = new ArrayList<>();
    long replayed = -1;

    AcknowledgementRun(Map<String, String> args) {
        this.args = args;
        this.orders = Integer.parseInt(args.getOrDefault("orders", "30"));
        this.take = Integer.parseInt(args.getOrDefault("take", "20"));
        this.doubled = Integer.parseInt(args.getOrDefault("double", "5"));
        this.within = Duration.ofSeconds(Long.parseLong(args.getOrDefault("within-seconds", "4")));
        this.oneByOne = args.containsKey("one-by-one");
    }

    public static void main(String[] argv) throws Exception {
        AcknowledgementRun run = new AcknowledgementRun(Runner.arguments(argv));
        Runner.exit(run::run, () -> {
            if (run.service != null) {
                run.service.destroyForcibly();
            }
        }, () -> {
            run.stopService();
            run.telegram.close();
        });
    }

    boolean run() throws Exception {
        startService();
        Thread presser = new Thread(this::pressAsTheyArrive, "presser");
        presser.setDaemon(true);
        presser.start();

        // Orders over HTTP; which ones get taken is interleaved, so taken and untouched ones share the same timing.
        Orders customers = new Orders(port);
        int takenSoFar = 0;
        for (int i = 0; i < orders; i++) {
            boolean taken = takenSoFar < take && (orders - i <= take - takenSoFar || i % 3 != 2);
            Orders.Response response = customers.place(Orders.order("Ack run " + i + " " + java.util.UUID.randomUUID(), null, "A"));
            if (response.status() != 201) {
                throw new IllegalStateException("order " + i + " answered " + response.status() + ": " + response.raw().body());
            }
            Order order = new Order(response.id(), i, taken, taken && takenSoFar < doubled);
            takenSoFar += taken ? 1 : 0;
            placed.add(order);
            plan.put(order.id, order);
            if (oneByOne) {
                // --one-by-one: the next order only once this one's message is at the fake, so none share a digest.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (orderMessage(order.id).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            }
        }
        System.out.printf("placed %d orders; %d to be taken (%d twice), %d left alone; acknowledge-within %d s%n",
                placed.size(), take, doubled, orders - take, within.toSeconds());

        Duration wait = Duration.ofSeconds(Long.parseLong(args.getOrDefault("wait-seconds", "240")));
        waitFor("every order's message at the fake", wait, () -> placed.stream().allMatch(o -> o.message != null));
        waitFor("every press answered", wait, () -> placed.stream().filter(o -> o.taken)
                .allMatch(o -> o.firstPress != null && !staff.answersTo(o.firstPress).isEmpty()
                        && (!o.twice || (o.secondPress != null && !staff.answersTo(o.secondPress).isEmpty()))));
        presser.interrupt();

        // One press served again with the same update id (a retry, a buggy proxy): nothing may change, nothing be said.
        Order first = placed.stream().filter(o -> o.taken).findFirst().orElseThrow();
        replayed = first.firstPress;
        staff.serveAgain(replayed, staff.lastServed(replayed));
        waitFor("the replayed update served and every update confirmed", wait, () -> staff.unconfirmed() == 0);

        // Past two periods: every untouched order reminded once and escalated once; then quiet for two more.
        waitFor("a reminder and an escalation for every untouched order", wait.plus(within.multipliedBy(2)),
                () -> placed.stream().filter(o -> !o.taken).allMatch(o -> !reminders(o).isEmpty() && !escalations(o).isEmpty()));
        waitFor("an edit of every taken order's message", wait, () -> placed.stream().filter(o -> o.taken)
                .allMatch(o -> !staff.editsOf(o.message.messageId()).isEmpty()));
        Thread.sleep(within.multipliedBy(2).plusSeconds(6).toMillis());
        return count();
    }

    /** Like a member of staff watching the chat: presses a planned order's button as soon as its message shows. */
    void pressAsTheyArrive() {
        while (!Thread.currentThread().isInterrupted()) {
            for (Order order : plan.values()) {
                if (order.message == null) {
                    orderMessage(order.id).ifPresent(m -> order.message = m);
                }
                if (order.message != null && order.taken && order.firstPress == null) {
                    int button = buttonOf(order.message, order.id);
                    order.firstPress = staff.press(order.message, button, 7000 + order.index, order.firstName());
                    if (order.twice) {
                        // A second member of staff, a moment later: queued behind the first as Telegram would batch them.
                        order.secondPress = staff.press(order.message, button, 8000 + order.index, "Late " + order.index);
                    }
                }
            }
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The order's own message in the staff chat (not a reminder), as the fake accepted it. */
    Optional<Sent> orderMessage(String orderId) {
        return staff.sentTo(ServiceBench.CHAT_ID).stream()
                .filter(s -> s.body().get("reply_parameters") == null && s.text().contains(orderId)).findFirst();
    }

    List<Sent> orderMessages(String orderId) {
        return staff.sentTo(ServiceBench.CHAT_ID).stream()
                .filter(s -> s.body().get("reply_parameters") == null && s.text().contains(orderId)).toList();
    }

    /** The button of this order: the only one, or in a digest the one labelled with the order's short id. */
    static int buttonOf(Sent message, String orderId) {
        return message.buttonOf(orderId);
    }

    /** Replies in the staff chat that name the order and reply to its message. */
    List<Sent> reminders(Order order) {
        return staff.sentTo(ServiceBench.CHAT_ID).stream()
                .filter(s -> s.body().get("reply_parameters") != null && s.text().contains(order.id)).toList();
    }

    List<Sent> escalations(Order order) {
        return staff.sentTo(ESCALATION_CHAT).stream().filter(s -> s.text().contains(order.id)).toList();
    }

    boolean count() throws Exception {
        OpsClient ops = new OpsClient(port);
        Orders customers = new Orders(port);
        List<Order> taken = placed.stream().filter(o -> o.taken).toList();
        List<Order> untouched = placed.stream().filter(o -> !o.taken).toList();
        List<Order> twice = placed.stream().filter(o -> o.twice).toList();
        Table table = new Table();

        table.row("orders placed (201)", orders, placed.size(), null);
        table.row("delivered: order messages at the fake", orders,
                placed.stream().filter(o -> !orderMessages(o.id).isEmpty()).count(), null);
        table.row("  orders in more than one message", 0, placed.stream().filter(o -> orderMessages(o.id).size() > 1).count(), null);

        // Taken: the service's view (GET /api/orders/{id}, the ops API) against the plan.
        long acknowledged = 0;
        long acknowledgedUntouched = 0;
        for (Order order : placed) {
            JsonNode notification = customers.get(order.id).body().get("notification");
            boolean set = notification != null && notification.get("acknowledgedAt") != null
                    && !notification.get("acknowledgedAt").isNull();
            acknowledged += set && order.taken ? 1 : 0;
            acknowledgedUntouched += set && !order.taken ? 1 : 0;
        }
        table.row("taken: acknowledgedAt set (GET /api/orders/{id})", take, null, acknowledged);
        table.row("  acknowledgedAt set on an untouched order", 0, null, acknowledgedUntouched);
        JsonNode board = ops.send("GET", "/api/ops/acknowledgements?limit=1000", null, OPS).body();
        Map<String, JsonNode> takenOps = new LinkedHashMap<>();
        board.get("taken").forEach(t -> takenOps.put(t.get("orderId").asString(), t));
        Map<String, String> waitingOps = new LinkedHashMap<>();
        board.get("waiting").forEach(w -> waitingOps.put(w.get("orderId").asString(), w.get("stage").asString()));
        table.row("taken in /api/ops/acknowledgements, by the first presser", take, null,
                taken.stream().filter(o -> takenOps.containsKey(o.id)
                        && o.firstName().equals(takenOps.get(o.id).get("takenBy").get("name").asString())).count());
        table.row("waiting in /api/ops/acknowledgements, stage ESCALATED", orders - take, null,
                untouched.stream().filter(o -> "ESCALATED".equals(waitingOps.get(o.id))).count());
        table.row("  ops entries beyond the plan", 0, null,
                (long) takenOps.size() + waitingOps.size() - taken.size() - untouched.size());

        // Answers and edits, from the fake.
        table.row("presses: first / second (another user) / replayed", take + doubled + 1, (long) taken.size() + twice.size()
                + (replayed >= 0 ? 1 : 0), null);
        table.row("\"is yours\" answers to first presses", take,
                taken.stream().filter(o -> staff.answersTo(o.firstPress).size() == 1
                        && staff.answersTo(o.firstPress).get(0).contains("is yours")).count(), null);
        table.row("\"already taken\" answers to second presses", doubled,
                twice.stream().filter(o -> staff.answersTo(o.secondPress).size() == 1
                        && staff.answersTo(o.secondPress).get(0).startsWith("Already taken by " + o.firstName())).count(), null);
        table.row("answers to the replayed update beyond its first", 0, staff.answersTo(replayed).size() - 1L, null);
        table.row("answerCallbackQuery calls in all", take + doubled, staff.calls("answerCallbackQuery").size(), null);
        List<StaffConversation.Call> edits = new ArrayList<>(staff.calls("editMessageText"));
        edits.addAll(staff.calls("editMessageReplyMarkup"));
        table.row("edits (editMessageText/ReplyMarkup) in all", take, edits.size(), null);
        // In its text, or, where a full digest has no room for the line, in the label of its button.
        table.row("  taken orders whose message names the first presser", take, taken.stream()
                .filter(o -> staff.editsOf(o.message.messageId()).stream().anyMatch(e -> e.text("text") != null
                        && e.text("text").contains("taken by <b>" + o.firstName() + "</b>")
                        || labels(e).stream().anyMatch(label -> label.contains(" · " + o.firstName() + " · ")))).count(), null);
        table.row("  taken orders whose Take button is gone from their message's last edit", take, taken.stream()
                .filter(o -> lastEditOffers(o).map(offers -> !offers).orElse(false)).count(), null);
        table.row("  edits naming a second presser", 0, edits.stream()
                .filter(e -> e.text("text") != null && e.text("text").contains("taken by <b>Late ")).count(), null);

        // Reminders and escalations.
        table.row("reminders (replies in the staff chat)", orders - take,
                placed.stream().mapToLong(o -> reminders(o).size()).sum(), null);
        table.row("  untouched orders reminded exactly once, as a reply to their message", orders - take,
                untouched.stream().filter(o -> reminders(o).size() == 1 && reminders(o).get(0).body().get("reply_parameters")
                        .get("message_id").asLong() == o.message.messageId()).count(), null);
        table.row("  reminders for taken orders", 0, taken.stream().mapToLong(o -> reminders(o).size()).sum(), null);
        table.row("  reminders sooner than acknowledge-within", 0, untouched.stream().flatMap(o -> reminders(o).stream()
                .filter(r -> r.at().isBefore(o.message.at().plus(within)))).count(), null);
        table.row("escalations (messages to the escalation chat)", orders - take, staff.sentTo(ESCALATION_CHAT).size(), null);
        table.row("  untouched orders escalated exactly once", orders - take,
                untouched.stream().filter(o -> escalations(o).size() == 1).count(), null);
        table.row("  escalations for taken orders", 0, taken.stream().mapToLong(o -> escalations(o).size()).sum(), null);
        table.row("  escalations sooner than two periods", 0, untouched.stream().flatMap(o -> escalations(o).stream()
                .filter(r -> r.at().isBefore(o.message.at().plus(within.multipliedBy(2))))).count(), null);

        Map<String, Double> gauge = unacknowledged();
        table.row("dukan_orders_unacknowledged (all stages)", orders - take, null,
                Math.round(gauge.values().stream().mapToDouble(Double::doubleValue).sum()));
        table.row("  stage=ESCALATED", orders - take, null, Math.round(gauge.getOrDefault("ESCALATED", 0.0)));

        table.print();
        long digests = placed.stream().map(o -> o.message.messageId()).distinct()
                .filter(id -> placed.stream().filter(o -> o.message.messageId() == id).count() > 1).count();
        System.out.printf("messages carrying more than one order (digests): %d%n", digests);
        if (table.off > 0) {
            explainEdits(taken);
        }
        double slowest = taken.stream().mapToDouble(o -> staff.calls("answerCallbackQuery").stream()
                .filter(c -> ("q" + o.firstPress).equals(c.text("callback_query_id"))).findFirst()
                .map(c -> Duration.between(o.message.at(), c.at()).toMillis() / 1000.0).orElse(Double.NaN)).max().orElse(0);
        System.out.printf(Locale.ROOT, "slowest first press: answered %.1f s after its message reached the fake "
                + "(acknowledge-within %d s)%n", slowest, within.toSeconds());
        System.out.printf("getUpdates answered %d, refused as a second poller %d; service log %s%n", staff.polls(),
                staff.conflicts(), Path.of("target", "bench", "acknowledgement-service.log"));
        System.out.println(table.off == 0 ? "ALL COUNTS AS EXPECTED" : table.off + " COUNT(S) OFF");
        return table.off == 0;
    }

    /** Whether the last edit of the order's message still offers the order's button; empty when never edited. */
    Optional<Boolean> lastEditOffers(Order order) {
        List<StaffConversation.Call> edits = staff.editsOf(order.message.messageId());
        if (edits.isEmpty()) {
            return Optional.empty();
        }
        JsonNode markup = edits.get(edits.size() - 1).body().get("reply_markup");
        String button = order.message.callbackData().get(buttonOf(order.message, order.id));
        boolean offered = false;
        if (markup != null && markup.get("inline_keyboard") != null) {
            for (JsonNode row : markup.get("inline_keyboard")) {
                for (JsonNode b : row) {
                    offered |= button.equals(b.get("callback_data").asString()) && b.get("text").asString().startsWith("✅ Take");
                }
            }
        }
        return Optional.of(offered);
    }

    /** The labels of an edit's buttons. */
    static List<String> labels(StaffConversation.Call edit) {
        return StaffConversation.labels(edit.body());
    }

    /** Which edits each taken order's message got, in arrival order, and which takes their text named. */
    void explainEdits(List<Order> taken) {
        System.out.println("edits of the taken orders' messages (arrival order; the takes each text names):");
        java.util.Set<Long> shownMessages = new java.util.HashSet<>();
        for (Order order : taken) {
            if (!shownMessages.add(order.message.messageId())) {
                System.out.printf("  order %d %s: message %d again (above)%n", order.index, order.id.substring(0, 8),
                        order.message.messageId());
                continue;
            }
            List<StaffConversation.Call> edits = staff.editsOf(order.message.messageId());
            List<String> shown = edits.stream().map(e -> "\n      " + e.method() + " at " + e.at() + " "
                    + (e.text("text") == null ? "(buttons only)" : java.util.regex.Pattern.compile("taken by <b>([^<]*)</b>")
                            .matcher(e.text("text")).results().map(m -> m.group(1)).toList().toString())).toList();
            System.out.printf("  order %d %s, message %d (%d order(s)), taken by %s, answered at %s: %s%n", order.index,
                    order.id.substring(0, 8), order.message.messageId(), order.message.callbackData().size(),
                    order.firstName(), staff.calls("answerCallbackQuery").stream()
                            .filter(c -> ("q" + order.firstPress).equals(c.text("callback_query_id"))).map(StaffConversation.Call::at)
                            .findFirst().orElse(null), shown);
        }
    }

    /** dukan_orders_unacknowledged by stage, from the service's Prometheus endpoint. */
    Map<String, Double> unacknowledged() {
        Map<String, Double> byStage = new HashMap<>();
        String text = new Orders(port).send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + port + "/actuator/prometheus")).GET()).raw().body();
        text.lines().filter(l -> l.startsWith("dukan_orders_unacknowledged{")).forEach(l -> {
            String stage = l.replaceAll(".*stage=\"([A-Z]+)\".*", "$1");
            byStage.merge(stage, Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)), Double::sum);
        });
        return byStage;
    }

    /** Expected against what the fake recorded and what the service says; a row is off when either differs. */
    static final class Table {
        final List<String> lines = new ArrayList<>();
        int off;

        void row(String what, long expected, Long fake, Long service) {
            boolean ok = (fake == null || fake == expected) && (service == null || service == expected);
            off += ok ? 0 : 1;
            lines.add(String.format(Locale.ROOT, "| %-72s | %8d | %8s | %8s | %-4s |", what, expected,
                    fake == null ? "" : fake, service == null ? "" : service, ok ? "ok" : "OFF"));
        }

        void row(String what, long expected, long fake, Long service) {
            row(what, expected, Long.valueOf(fake), service);
        }

        void print() {
            System.out.printf("| %-72s | %8s | %8s | %8s | %-4s |%n", "count", "expected", "fake", "service", "");
            System.out.println("|" + "-".repeat(74) + "|---------:|---------:|---------:|------|");
            lines.forEach(System.out::println);
        }
    }

    void waitFor(String what, Duration limit, BooleanSupplier done) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                System.out.printf("gave up waiting for %s after %d s; counting what there is%n", what, limit.toSeconds());
                return;
            }
            Thread.sleep(100);
        }
        System.out.printf(Locale.ROOT, "%s: after %.1f s%n", what, (System.nanoTime() - started) / 1e9);
    }

    void startService() throws Exception {
        port = ServiceBench.freePort();
        Path log = Path.of("target", "bench", "acknowledgement-service.log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(args.getOrDefault("java", "java"), "-Xms512m", "-Xmx512m",
                "-XX:+ExitOnOutOfMemoryError", "-jar", args.getOrDefault("jar", "target/onlinedukan.jar")));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.putAll(ServiceBench.environment(port, args.getOrDefault("pg-port", "5432"),
                args.getOrDefault("redis-port", "6379"), telegram.url()));
        env.putAll(ServiceBench.lifted());
        env.put("DUKAN_NOTIFICATION_ACKNOWLEDGEWITHIN", within.toSeconds() + "s");
        env.put("DUKAN_NOTIFICATION_ESCALATIONCHATID", ESCALATION_CHAT);
        env.put("LOGGING_LEVEL_COM_ONLINEDUKAN", args.getOrDefault("service-log-level", "INFO"));
        Instant started = Instant.now();
        service = builder.start();
        ServiceBench.awaitReady(service, port, log, Duration.ofSeconds(Long.parseLong(args.getOrDefault("ready-seconds", "300"))));
        System.out.printf(Locale.ROOT, "service pid %d on port %d ready after %.1f s (log %s)%n", service.pid(), port,
                Duration.between(started, Instant.now()).toMillis() / 1000.0, log);
    }

    void stopService() throws InterruptedException {
        if (service != null && service.isAlive()) {
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly().waitFor();
            }
        }
    }
}
