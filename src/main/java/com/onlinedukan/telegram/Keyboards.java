package com.onlinedukan.telegram;

import java.util.List;

import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;

/** Buttons as Telegram's inline keyboard: one row each, so every label can be read in full. */
final class Keyboards {

    private Keyboards() {
    }

    /** The keyboard; an empty one (no rows) removes the buttons a message had. */
    static InlineKeyboardMarkup of(List<Button> buttons) {
        List<InlineKeyboardRow> rows = buttons.stream()
                .map(b -> new InlineKeyboardRow(InlineKeyboardButton.builder().text(b.text())
                        .callbackData(b.callbackData()).build()))
                .toList();
        return new InlineKeyboardMarkup(rows);
    }
}
