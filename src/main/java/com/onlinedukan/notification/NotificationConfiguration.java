package com.onlinedukan.notification;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

@Configuration(proxyBeanMethods = false)
class NotificationConfiguration {

    private static final Logger log = LoggerFactory.getLogger(NotificationConfiguration.class);

    @Bean
    TelegramSender telegramSender(TelegramProperties telegram, NotificationProperties properties) {
        if (telegram.dryRun()) {
            return new DryRunSender();
        }
        if (!StringUtils.hasText(telegram.chatId())) {
            throw new IllegalStateException("TELEGRAM_BOT_TOKEN is set but TELEGRAM_CHAT_ID is not: "
                    + "set the staff chat that receives new-order notifications");
        }
        // Well inside the lease, so a send still in flight never loses its claim to another instance.
        Duration timeout = properties.lease().dividedBy(3);
        log.info("Notifications go to Telegram chat {} through {}", telegram.chatId(), telegram.apiUrl());
        return new BotApiSender(telegram, timeout);
    }
}
