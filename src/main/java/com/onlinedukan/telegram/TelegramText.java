package com.onlinedukan.telegram;

/**
 * Text that came from Telegram (an answer's description, a library's error about an answer, a staff
 * member's name), made into text that a PostgreSQL column and a log line can hold: control
 * characters, NUL among them, as {@code \\uXXXX}; an unpaired surrogate, which UTF-8 cannot
 * encode, as U+FFFD; at most a given number of characters, the rest cut to "…". Telegram decides
 * what it sends, and none of it may stop the service from recording it: a NUL in a description once
 * made PostgreSQL refuse the write that records a send, so the send was made again at every lease.
 */
final class TelegramText {

    /** An error's text at most: Telegram's descriptions are a line; a proxy's page is not worth more. */
    static final int ERROR_CHARS = 2000;

    private TelegramText() {
    }

    /** An error's text with the bot's token replaced (before it is cut, so no part of it is left), made storable. */
    static String scrubbed(String text, String token) {
        return text == null ? null : storable(text.replace(token, "<token>"), ERROR_CHARS);
    }

    /** {@code text} as a text column and a log line hold it, at most {@code maxChars} characters. */
    static String storable(String text, int maxChars) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars));
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int type = Character.getType(codePoint);
            String piece = type == Character.CONTROL ? String.format("\\u%04x", codePoint)
                    : type == Character.SURROGATE ? "\ufffd"
                    : text.substring(i, i + Character.charCount(codePoint));
            if (out.length() + piece.length() > maxChars) {
                out.setLength(Math.max(0, Math.min(out.length(), maxChars - 1)));
                if (out.length() > 0 && Character.isHighSurrogate(out.charAt(out.length() - 1))) {
                    out.setLength(out.length() - 1);
                }
                return out.append('…').toString();
            }
            out.append(piece);
            i += Character.charCount(codePoint);
        }
        return out.toString();
    }
}
