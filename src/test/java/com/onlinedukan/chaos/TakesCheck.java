package com.onlinedukan.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.onlinedukan.support.StaffConversation;
import com.onlinedukan.support.StaffConversation.Sent;
import tools.jackson.databind.JsonNode;

/**
 * What came of the staff member's presses, and the invariants of taking orders under the run's faults:
 * every pressed order has {@code acknowledgedAt} (GET /api/orders/{id}) and is named in an edit of the
 * message pressed; no order is reminded twice or escalated twice; no taken order is reminded after its
 * take was recorded (the bot's answer to the press, which comes after the take is written, plus
 * {@link #GRACE} for a reminder already on its way).
 */
final class TakesCheck {

    static final Duration GRACE = Duration.ofSeconds(2);

    final long pressed;
    final long pressedDigests;
    final long pressedTwice;
    long taken;
    long answeredAlreadyTaken;
    long reminders;
    long escalations;
    final List<String> notAcknowledged = new ArrayList<>();
    final List<String> notNamedInAnEdit = new ArrayList<>();
    final List<String> remindedTwice = new ArrayList<>();
    final List<String> escalatedTwice = new ArrayList<>();
    final List<String> remindedAfterTake = new ArrayList<>();

    TakesCheck(ChaosRun run) {
        StaffConversation staff = run.telegram.staff();
        Map<String, StaffMember.Press> presses = run.staffMember.presses();
        pressed = presses.size();
        pressedDigests = presses.values().stream().filter(StaffMember.Press::digest).count();
        pressedTwice = presses.values().stream().filter(StaffMember.Press::twice).count();
        for (String orderId : run.driver.accepted().keySet()) {
            List<Sent> reminded = new ArrayList<>();
            long escalated = 0;
            for (Sent message : staff.sentMentioning(orderId)) {
                if (ChaosRun.ESCALATION_CHAT_ID.equals(message.chatId())) {
                    escalated++;
                }
                else if (message.isReply()) {
                    reminded.add(message);
                }
            }
            reminders += reminded.size();
            escalations += escalated;
            if (reminded.size() > 1) {
                remindedTwice.add(orderId);
            }
            if (escalated > 1) {
                escalatedTwice.add(orderId);
            }
            StaffMember.Press press = presses.get(orderId);
            if (press != null) {
                check(run, staff, press, reminded);
            }
        }
    }

    private void check(ChaosRun run, StaffConversation staff, StaffMember.Press press, List<Sent> reminded) {
        if (acknowledgedAt(run, press.orderId()).isPresent()) {
            taken++;
        }
        else {
            notAcknowledged.add(press.orderId());
        }
        // The edit goes to the message the ledger recorded: a press on an earlier copy of a message sent
        // twice (a duplicate window) is named on the copy the delivery recorded.
        List<Long> copies = new ArrayList<>(List.of(press.messageId()));
        staff.sentMentioning(press.orderId()).stream().filter(m -> !m.isReply()).forEach(m -> copies.add(m.messageId()));
        boolean named = copies.stream().distinct().flatMap(id -> staff.editsOf(id).stream()).anyMatch(edit -> edit.text("text") != null
                && edit.text("text").contains("taken by <b>" + press.name() + "</b>")
                || StaffConversation.labels(edit.body()).stream().anyMatch(label -> label.contains(" · " + press.name() + " · ")));
        if (!named) {
            notNamedInAnEdit.add(press.orderId());
        }
        if (press.twice() && staff.answersTo(press.secondUpdate()).stream().anyMatch(a -> a != null && a.startsWith("Already taken"))) {
            answeredAlreadyTaken++;
        }
        Optional<Instant> recorded = answered(staff, press.firstUpdate());
        if (press.twice()) {
            Optional<Instant> second = answered(staff, press.secondUpdate());
            if (second.isPresent() && (recorded.isEmpty() || second.get().isBefore(recorded.get()))) {
                recorded = second;
            }
        }
        if (recorded.isPresent()) {
            Instant limit = recorded.get().plus(GRACE);
            if (reminded.stream().anyMatch(r -> r.at().isAfter(limit))) {
                remindedAfterTake.add(press.orderId());
            }
        }
    }

    private static Optional<Instant> answered(StaffConversation staff, long updateId) {
        return staff.calls("answerCallbackQuery").stream().filter(c -> ("q" + updateId).equals(c.text("callback_query_id")))
                .map(StaffConversation.Call::at).findFirst();
    }

    private static Optional<String> acknowledgedAt(ChaosRun run, String orderId) {
        for (Instance instance : run.instances) {
            Optional<JsonNode> order = instance.ops("/api/orders/" + orderId, Duration.ofSeconds(5));
            if (order.isPresent()) {
                JsonNode at = order.get().path("notification").path("acknowledgedAt");
                return at.isMissingNode() || at.isNull() ? Optional.empty() : Optional.of(at.asString());
            }
        }
        return Optional.empty();
    }

    long violations() {
        return notAcknowledged.size() + notNamedInAnEdit.size() + remindedTwice.size() + escalatedTwice.size()
                + remindedAfterTake.size();
    }

    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("pressed", pressed);
        json.put("pressedInDigests", pressedDigests);
        json.put("pressedTwice", pressedTwice);
        json.put("takenByAPress", taken);
        json.put("answeredAlreadyTaken", answeredAlreadyTaken);
        json.put("remindersSent", reminders);
        json.put("escalationsSent", escalations);
        json.put("pressedWithoutAcknowledgedAt", notAcknowledged);
        json.put("pressedNotNamedInAnEdit", notNamedInAnEdit);
        json.put("remindedTwice", remindedTwice);
        json.put("escalatedTwice", escalatedTwice);
        json.put("remindedAfterTheirTake", remindedAfterTake);
        return json;
    }

    String markdownRows() {
        return ChaosReport.row("orders pressed \"Take\" (of them in digests / pressed again by a second user)",
                pressed + " (" + pressedDigests + " / " + pressedTwice + ")", "")
                + ChaosReport.row("orders taken by a press (acknowledgedAt set)", taken, "= pressed")
                + ChaosReport.row("second presses answered \"already taken\"", answeredAlreadyTaken, "= pressed again")
                + ChaosReport.row("reminders sent / escalations sent", reminders + " / " + escalations, "")
                + ChaosReport.row("**pressed orders without acknowledgedAt / not named in an edit**", notAcknowledged.size() + " / "
                        + notNamedInAnEdit.size(), "0 / 0")
                + ChaosReport.row("**orders reminded twice / escalated twice**", remindedTwice.size() + " / " + escalatedTwice.size(), "0 / 0")
                + ChaosReport.row("**taken orders reminded after their take was recorded**", remindedAfterTake.size(), "0");
    }
}
