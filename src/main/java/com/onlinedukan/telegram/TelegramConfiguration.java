package com.onlinedukan.telegram;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.StringUtils;

/**
 * The one {@link TelegramSender}: the Bot API client when a token is set, the dry-run sender when
 * asked for or on the embedded local default. A deployment (a datasource configured) without a
 * token does not start: a secret that failed to mount must not turn every order into a log line.
 */
@Configuration(proxyBeanMethods = false)
class TelegramConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TelegramConfiguration.class);
    static final String BUDGET_NAMESPACE = "dukan:telegram:budget";
    /** What makes a deployment rather than the embedded local default (the same test as the infrastructure's). */
    static final String DATASOURCE_URL = "spring.datasource.url";

    /**
     * The bot's and the chats' budgets, on whatever Redis Spring Boot configured (standalone,
     * Sentinel, master/replica or Cluster). Without a Lettuce connection factory they are this
     * instance's own, which it says at WARN and in the gauge.
     */
    @Bean
    SharedBudgets sharedBudgets(TelegramProperties telegram, TelegramClientProperties client,
            ObjectProvider<LettuceConnectionFactory> redis) {
        LettuceConnectionFactory factory = redis.getIfAvailable();
        // Without a token nothing is sent (a dry run, or the start fails for want of it): no bot to key budgets by.
        String bot = telegram.tokenMissing() ? "none" : telegram.botId();
        SharedBudgets budgets = new SharedBudgets(client.rate(), BUDGET_NAMESPACE, bot,
                factory == null ? null : () -> RedisBuckets.on(factory));
        return budgets;
    }

    @Bean
    TelegramSender telegramSender(TelegramProperties telegram, TelegramClientProperties client, JdbcClient jdbc,
            SharedBudgets budgets, MeterRegistry meters, Environment environment) {
        boolean dryRun = dryRun(telegram, client, environment.containsProperty(DATASOURCE_URL));
        // A gauge rather than only a log line: an alert can say "production is logging orders instead of sending them".
        Gauge.builder("dukan.telegram.dry.run", () -> dryRun ? 1 : 0)
                .description("1 while notifications go to the log (dry run) instead of Telegram")
                .register(meters);
        if (dryRun) {
            log.warn(telegram.tokenMissing()
                    ? "DRY RUN: TELEGRAM_BOT_TOKEN is not set on the embedded local default: notifications go to the "
                            + "dry-run sender, which only logs them; nothing reaches Telegram, though the ledger "
                            + "counts them delivered (gauge dukan_telegram_dry_run=1, health telegram WARNING)"
                    : "DRY RUN: dukan.telegram.dry-run=true: notifications go to the dry-run sender, which only logs "
                            + "them; nothing reaches Telegram, though the ledger counts them delivered "
                            + "(gauge dukan_telegram_dry_run=1, health telegram WARNING)");
            return new DryRunSender(telegram.chatId());
        }
        if (!StringUtils.hasText(telegram.chatId())) {
            throw new IllegalStateException("TELEGRAM_BOT_TOKEN is set but TELEGRAM_CHAT_ID is not: "
                    + "set the staff chat that receives new-order notifications");
        }
        log.info("Notifications go to Telegram chat {} through {}", telegram.chatId(), telegram.apiUrl());
        // Only a sender that sends has budgets to share; a dry run has no such series.
        Gauge.builder("dukan.telegram.budgets.shared", budgets, b -> b.shared() ? 1 : 0)
                .description("1 while this instance's Telegram send budgets are shared through Redis, "
                        + "0 while it keeps budgets of its own")
                .register(meters);
        FunctionCounter.builder("dukan.telegram.budgets.fallbacks", budgets, SharedBudgets::fallbacks)
                .description("Times this instance fell back to Telegram send budgets of its own (Redis did not "
                        + "answer); a fallback can be shorter than a scrape of the gauge")
                .register(meters);
        return new BotApiSender(new BotApi(telegram, client.timeout(), client.maxRetryAfter()),
                new StaffChat(jdbc, telegram.chatId(), client.maxRetryAfter()), budgets,
                new BotApiCircuit(client.circuit(), meters));
    }

    /**
     * A dry run when asked for ({@code dukan.telegram.dry-run=true}, with or without a token) or,
     * unset, when there is no token on the embedded local default. Without a token the start fails
     * instead when a datasource is configured (a deployment: its orders must reach the staff) or
     * when the dry run is refused ({@code false}). The messages name the variable, never a value.
     */
    static boolean dryRun(TelegramProperties telegram, TelegramClientProperties client, boolean datasourceConfigured) {
        if (Boolean.TRUE.equals(client.dryRun()) || !telegram.tokenMissing()) {
            return Boolean.TRUE.equals(client.dryRun());
        }
        if (Boolean.FALSE.equals(client.dryRun())) {
            throw new IllegalStateException("dukan.telegram.dry-run is false but TELEGRAM_BOT_TOKEN (telegram.bot-token) "
                    + "is not set: set the bot token, or allow the dry run, which only logs notifications");
        }
        if (datasourceConfigured) {
            throw new IllegalStateException("TELEGRAM_BOT_TOKEN (telegram.bot-token) is unset or blank while a datasource "
                    + "is configured (" + DATASOURCE_URL + "): the orders of this deployment would only be logged, "
                    + "never sent to the staff. Set TELEGRAM_BOT_TOKEN, or set dukan.telegram.dry-run=true to run "
                    + "without Telegram on purpose");
        }
        return true;
    }

    /** The bot's conversation with the staff (presses, answers, edits, replies); a silent one in a dry run. */
    @Bean
    StaffBot staffBot(TelegramSender sender, TelegramProperties telegram, TelegramClientProperties client) {
        if (sender instanceof BotApiSender botApi) {
            return new TelegramStaffBot(new BotApi(telegram, client.timeout(), client.maxRetryAfter()), botApi, telegram,
                    LONGEST_POLL, client.timeout());
        }
        return new DryRunStaffBot();
    }

    /** The longest {@code getUpdates} wait a caller may ask for: the polling client's timeout outlasts it. */
    static final java.time.Duration LONGEST_POLL = java.time.Duration.ofSeconds(50);

    /** Named {@code telegram}: the health component of the same name. */
    @Bean
    TelegramHealth telegram(TelegramSender sender, SharedBudgets budgets) {
        return new TelegramHealth(sender, budgets);
    }
}
