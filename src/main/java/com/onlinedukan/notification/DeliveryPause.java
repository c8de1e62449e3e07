package com.onlinedukan.notification;

import java.time.Instant;

/**
 * Whether delivery is paused, who switched it last and when, and why: an SRE, or
 * {@value #BY_TELEGRAM} when Telegram refused the bot or the chat itself.
 */
@org.springframework.modulith.NamedInterface({ "reads", "commands" })
public record DeliveryPause(boolean paused, String pausedBy, Instant pausedAt, String reason) {

    /** {@code pausedBy} when the pause is Telegram's refusal, not a person's decision. */
    public static final String BY_TELEGRAM = "telegram";

    /** Who lifted a pause of Telegram's when a probe found the bot and the chat reachable again. */
    public static final String BY_PROBE = "probe";

    boolean byTelegram() {
        return paused && BY_TELEGRAM.equals(pausedBy);
    }
}
