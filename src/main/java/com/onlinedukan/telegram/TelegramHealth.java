package com.onlinedukan.telegram;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the Telegram client ({@code telegram}, not part of readiness): WARNING while the
 * circuit is not closed, no token is configured or the send budgets are not shared through Redis,
 * so it shows without taking the instance out of service.
 */
class TelegramHealth implements HealthIndicator {

    static final Status WARNING = new Status("WARNING");

    private final TelegramSender sender;
    private final SharedBudgets budgets;

    TelegramHealth(TelegramSender sender, SharedBudgets budgets) {
        this.sender = sender;
        this.budgets = budgets;
    }

    @Override
    public Health health() {
        TelegramStatus status = sender.status();
        // Budgets of this instance's own let several instances together past Telegram's limit.
        boolean localBudgets = !status.dryRun() && !budgets.shared();
        boolean warn = status.dryRun() || !"CLOSED".equals(status.circuit()) || localBudgets;
        Health.Builder health = warn ? Health.status(WARNING) : Health.up();
        health.withDetail("circuit", status.circuit()).withDetail("dryRun", status.dryRun());
        if (!status.dryRun()) {
            health.withDetail("budgets", budgets.sharedThrough());
        }
        if (status.chatId() != null) {
            health.withDetail("chatId", status.chatId());
        }
        if (status.pausedUntil() != null) {
            health.withDetail("pausedUntil", status.pausedUntil().toString());
        }
        return health.build();
    }
}
