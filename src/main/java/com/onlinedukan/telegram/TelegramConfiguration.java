package com.onlinedukan.telegram;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.StringUtils;

/** The one {@link TelegramSender}: the Bot API client when a token is set, the dry-run sender when not. */
@Configuration(proxyBeanMethods = false)
class TelegramConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TelegramConfiguration.class);
    static final String BUDGET_NAMESPACE = "dukan:telegram:budget";

    @Bean
    TelegramSender telegramSender(TelegramProperties telegram, TelegramClientProperties client, JdbcClient jdbc,
            ObjectProvider<LettuceConnectionFactory> redis, MeterRegistry meters) {
        boolean dryRun = dryRun(telegram, client);
        // A gauge rather than only a log line: an alert can say "production is logging orders instead of sending them".
        Gauge.builder("dukan.telegram.dry.run", () -> dryRun ? 1 : 0)
                .description("1 while notifications go to the log (dry run) instead of Telegram")
                .register(meters);
        if (dryRun) {
            log.warn(telegram.tokenMissing()
                    ? "TELEGRAM_BOT_TOKEN is not set: notifications go to the dry-run sender, which only logs them "
                            + "(set dukan.telegram.dry-run=false to make this stop the start instead)"
                    : "dukan.telegram.dry-run=true: notifications go to the dry-run sender, which only logs them");
            return new DryRunSender(telegram.chatId());
        }
        if (!StringUtils.hasText(telegram.chatId())) {
            throw new IllegalStateException("TELEGRAM_BOT_TOKEN is set but TELEGRAM_CHAT_ID is not: "
                    + "set the staff chat that receives new-order notifications");
        }
        log.info("Notifications go to Telegram chat {} through {}", telegram.chatId(), telegram.apiUrl());
        LettuceConnectionFactory factory = redis.getIfAvailable();
        SharedBudgets budgets = new SharedBudgets(client.rate(), BUDGET_NAMESPACE, telegram.botId(),
                factory == null ? null : () -> connect(factory));
        return new BotApiSender(new BotApi(telegram, client.timeout()), new StaffChat(jdbc, telegram.chatId()),
                budgets, new BotApiCircuit(client.circuit(), meters));
    }

    /**
     * A dry run when asked for ({@code dukan.telegram.dry-run=true}) or, by default, when there is
     * no token; asked not to be one without a token, the start fails rather than drop orders into a log.
     */
    private static boolean dryRun(TelegramProperties telegram, TelegramClientProperties client) {
        if (Boolean.FALSE.equals(client.dryRun()) && telegram.tokenMissing()) {
            throw new IllegalStateException("dukan.telegram.dry-run is false but TELEGRAM_BOT_TOKEN (telegram.bot-token) "
                    + "is not set: set the bot token, or allow the dry run, which only logs notifications");
        }
        return client.dryRun() != null ? client.dryRun() : telegram.tokenMissing();
    }

    /** The bot's conversation with the staff (presses, answers, edits, replies); a silent one in a dry run. */
    @Bean
    StaffBot staffBot(TelegramSender sender, TelegramProperties telegram, TelegramClientProperties client) {
        if (sender instanceof BotApiSender botApi) {
            return new TelegramStaffBot(new BotApi(telegram, client.timeout()), botApi, telegram, LONGEST_POLL,
                    client.timeout());
        }
        return new DryRunStaffBot();
    }

    /** The longest {@code getUpdates} wait a caller may ask for: the polling client's timeout outlasts it. */
    static final java.time.Duration LONGEST_POLL = java.time.Duration.ofSeconds(50);

    /** Named {@code telegram}: the health component of the same name. */
    @Bean
    TelegramHealth telegram(TelegramSender sender) {
        return new TelegramHealth(sender);
    }

    private static io.lettuce.core.api.StatefulRedisConnection<byte[], byte[]> connect(LettuceConnectionFactory factory) {
        if (factory.getNativeClient() instanceof RedisClient client) {
            return client.connect(ByteArrayCodec.INSTANCE);
        }
        throw new IllegalStateException("the Telegram budgets need a standalone Redis client, not "
                + factory.getNativeClient().getClass().getSimpleName());
    }
}
