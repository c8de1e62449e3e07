package com.onlinedukan.notification;

import java.time.Instant;

/** A probe found the bot and the chat reachable again and lifted Telegram's pause (never an SRE's). */
public record DeliveryResumedByProbe(Instant at, String reason) {
}
