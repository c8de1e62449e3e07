package com.onlinedukan.telegram;

/**
 * One inline keyboard button under a message: its label and the {@code callback_data} Telegram
 * sends back when it is pressed (at most 64 bytes, Telegram's limit).
 */
public record Button(String text, String callbackData) {

    /** Telegram's limit on {@code callback_data}, in UTF-8 bytes. */
    public static final int MAX_CALLBACK_BYTES = 64;

    public Button {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a button needs a label");
        }
        if (callbackData == null || callbackData.isEmpty()
                || callbackData.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_CALLBACK_BYTES) {
            throw new IllegalArgumentException("callback_data must be 1 to " + MAX_CALLBACK_BYTES + " bytes");
        }
    }
}
