package com.onlinedukan.notification;

/** Text that came from Redis, made safe for a log line or a text column: short, no control characters. */
final class EntryText {

    private static final int MAX = 100;

    private EntryText() {
    }

    static String cut(String text) {
        return cut(text, MAX);
    }

    static String cut(String text, int max) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char ch = text.charAt(i);
            out.append(Character.isISOControl(ch) || Character.isSurrogate(ch) ? '?' : ch);
        }
        return out.toString();
    }
}
