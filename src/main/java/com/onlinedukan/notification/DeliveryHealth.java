package com.onlinedukan.notification;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * Health of delivery ({@code delivery}): WARNING while it is paused, with who paused it and why —
 * an SRE, or {@code telegram} when Telegram refuses the bot or the chat. Not part of readiness:
 * orders are still accepted and kept.
 */
@Component("delivery")
class DeliveryHealth implements HealthIndicator {

    static final Status WARNING = new Status("WARNING", "Delivery is paused");

    private final DeliveryControl control;

    DeliveryHealth(DeliveryControl control) {
        this.control = control;
    }

    @Override
    public Health health() {
        DeliveryPause pause = control.state();
        if (!pause.paused()) {
            return Health.up().build();
        }
        Health.Builder health = Health.status(WARNING).withDetail("pausedBy", pause.pausedBy());
        if (pause.pausedAt() != null) {
            health.withDetail("pausedAt", pause.pausedAt().toString());
        }
        if (pause.reason() != null) {
            health.withDetail("reason", pause.reason());
        }
        return health.build();
    }
}
