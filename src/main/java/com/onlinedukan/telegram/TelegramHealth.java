package com.onlinedukan.telegram;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the Telegram client ({@code telegram}, not part of readiness): WARNING while the
 * circuit is not closed or no token is configured, so it shows without taking the instance out
 * of service.
 */
class TelegramHealth implements HealthIndicator {

    static final Status WARNING = new Status("WARNING");

    private final TelegramSender sender;

    TelegramHealth(TelegramSender sender) {
        this.sender = sender;
    }

    @Override
    public Health health() {
        TelegramStatus status = sender.status();
        boolean warn = status.dryRun() || !"CLOSED".equals(status.circuit());
        Health.Builder health = warn ? Health.status(WARNING) : Health.up();
        health.withDetail("circuit", status.circuit()).withDetail("dryRun", status.dryRun());
        if (status.chatId() != null) {
            health.withDetail("chatId", status.chatId());
        }
        if (status.pausedUntil() != null) {
            health.withDetail("pausedUntil", status.pausedUntil().toString());
        }
        return health.build();
    }
}
