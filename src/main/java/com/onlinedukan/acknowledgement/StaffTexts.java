package com.onlinedukan.acknowledgement;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import com.onlinedukan.acknowledgement.AcknowledgementLedger.Row;

/** What the bot says about taking orders, in Telegram HTML; names come from Telegram users and are escaped. */
final class StaffTexts {

    /** Telegram's limits: a message's text, a callback answer's text. */
    static final int MESSAGE_LIMIT = 4096;
    static final int ANSWER_LIMIT = 200;
    private static final int NAME_LIMIT = 64;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private StaffTexts() {
    }

    /** The message as sent, with a line for each of its orders that was taken; null when that would not fit. */
    static String edited(List<Row> message) {
        StringBuilder text = new StringBuilder(message.get(0).html()).append('\n');
        for (Row row : message) {
            if (row.stage() == Stage.TAKEN) {
                text.append('\n').append("✅ ").append(message.size() > 1 ? "<code>" + shortId(row) + "</code> " : "")
                        .append("taken by <b>").append(escape(name(row.takenByName()))).append("</b> at ")
                        .append(TIME.format(row.takenAt()));
            }
        }
        return text.length() <= MESSAGE_LIMIT ? text.toString() : null;
    }

    /** A taken order's button, where the message has no room for its line: "✅ 1a2b3c4d · Aziz · 14:05". */
    static String takenLabel(Row row) {
        String name = name(row.takenByName());
        return "✅ " + shortId(row) + " · " + (name.length() > 24 ? name.substring(0, 24) + "…" : name) + " · "
                + TIME.format(row.takenAt());
    }

    static String youTookIt(Row row) {
        return answer("✅ Order " + shortId(row) + " is yours");
    }

    static String alreadyTaken(Row row) {
        return answer("Already taken by " + name(row.takenByName()) + " at " + TIME.format(row.takenAt()));
    }

    static String unknownOrder() {
        return answer("This order is no longer known here");
    }

    static String notAButton() {
        return answer("This button is not one of ours");
    }

    static String reminder(Row row, Duration waited) {
        return "⏰ Nobody has taken order <code>" + row.orderId() + "</code> for " + minutes(waited)
                + ": please take it (the button above).";
    }

    static String escalation(Row row, Duration waited) {
        return "🚨 Order <code>" + row.orderId() + "</code> has waited " + minutes(waited)
                + " in the staff chat and nobody has taken it.";
    }

    static Duration since(Instant from, Instant now) {
        return from == null ? Duration.ZERO : Duration.between(from, now);
    }

    private static String minutes(Duration waited) {
        long seconds = Math.max(0, waited.toSeconds());
        return seconds < 120 ? seconds + " s" : seconds / 60 + " min";
    }

    private static String shortId(Row row) {
        return row.orderId().toString().substring(0, 8);
    }

    private static String name(String name) {
        String shown = name == null || name.isBlank() ? "someone" : name.strip();
        return shown.length() <= NAME_LIMIT ? shown : shown.substring(0, NAME_LIMIT - 1) + "…";
    }

    private static String answer(String text) {
        return text.length() <= ANSWER_LIMIT ? text : text.substring(0, ANSWER_LIMIT - 1) + "…";
    }

    private static String escape(String raw) {
        return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
