package com.onlinedukan.notification;

/** Sends one HTML message to one chat, and says how it went. Never throws for Telegram's answers. */
interface TelegramSender {

    SendOutcome send(String chatId, String html);
}
