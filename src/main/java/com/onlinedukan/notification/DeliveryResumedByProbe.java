package com.onlinedukan.notification;

import java.time.Instant;

import org.springframework.modulith.NamedInterface;

/** A probe found the bot and the chat reachable again and lifted Telegram's pause (never an SRE's). */
@NamedInterface("events")
public record DeliveryResumedByProbe(Instant at, String reason) {
}
