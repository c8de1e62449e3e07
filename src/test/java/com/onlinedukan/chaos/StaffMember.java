package com.onlinedukan.chaos;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.onlinedukan.support.StaffConversation;
import com.onlinedukan.support.StaffConversation.Sent;

/**
 * The chaos run's member of staff: watches the staff chat as the fake Bot API accepted it and presses
 * "Take" on a seeded share of the orders whose message arrived (through {@code getUpdates}, with the
 * button's {@code callback_data} from the message's {@code reply_markup}, as Telegram would serve it),
 * a share of those once more by a second user, digests included; every other order is left alone, so
 * its reminder and escalation come. Orders the run did not place (a forged entry's) are never pressed.
 */
final class StaffMember {

    /** One order taken by a press: the message and button pressed, the presses' update ids, the presser's name. */
    record Press(String orderId, long messageId, boolean digest, long firstUpdate, long secondUpdate, String name) {

        boolean twice() {
            return secondUpdate >= 0;
        }
    }

    private final StaffConversation staff;
    private final Random random;
    private final double share;
    private final double twiceShare;
    private final String escalationChat;
    private final Supplier<Set<String>> placed;
    private final Map<String, Boolean> decided = new ConcurrentHashMap<>();
    private final Map<String, Press> presses = new ConcurrentHashMap<>();
    private volatile boolean watching = true;
    private int read;

    /**
     * @param share the share of orders pressed; {@code twiceShare} of those pressed again by another user
     * @param placed the orders the run placed (201), asked afresh each look
     */
    StaffMember(StaffConversation staff, long seed, double share, double twiceShare, String escalationChat,
            Supplier<Set<String>> placed) {
        this.staff = staff;
        this.random = new Random(seed);
        this.share = share;
        this.twiceShare = twiceShare;
        this.escalationChat = escalationChat;
        this.placed = placed;
    }

    Thread start() {
        Thread thread = new Thread(this::watch, "staff-member");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    void stop() {
        watching = false;
    }

    Map<String, Press> presses() {
        return presses;
    }

    private void watch() {
        while (watching) {
            List<Sent> arrived = staff.sentSince(read);
            read += arrived.size();
            Set<String> ours = placed.get();
            for (Sent message : arrived) {
                if (!message.isReply() && !escalationChat.equals(message.chatId()) && !message.callbackData().isEmpty()) {
                    look(message, ours);
                }
            }
            try {
                Thread.sleep(200);
            }
            catch (InterruptedException e) {
                return;
            }
        }
    }

    private void look(Sent message, Set<String> ours) {
        List<String> orders = message.orderIds();
        for (String orderId : orders) {
            if (!ours.contains(orderId) || decided.putIfAbsent(orderId, random.nextDouble() < share) != null
                    || !decided.get(orderId)) {
                continue;
            }
            int button = message.buttonOf(orderId);
            int n = presses.size() + 1;
            String name = "Staff " + n;
            long first = staff.press(message, button, 50_000 + n, name);
            // A second member of staff a moment later: "already taken".
            long second = random.nextDouble() < twiceShare ? staff.press(message, button, 90_000 + n, "Late " + n) : -1;
            presses.put(orderId, new Press(orderId, message.messageId(), orders.size() > 1, first, second, name));
        }
    }
}
