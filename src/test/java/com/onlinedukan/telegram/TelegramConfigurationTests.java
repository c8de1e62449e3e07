package com.onlinedukan.telegram;

import java.net.URI;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The client's configuration: the contract's defaults, validation, and a token without a chat. */
class TelegramConfigurationTests {

    final ApplicationContextRunner properties = new ApplicationContextRunner()
            .withUserConfiguration(Properties.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(TelegramClientProperties.class)
    static class Properties {
    }

    @Test
    void defaultsAreTheContracts() {
        properties.run(context -> {
            TelegramClientProperties client = context.getBean(TelegramClientProperties.class);
            assertThat(client.timeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(client.rate()).isEqualTo(new TelegramClientProperties.Rate(30, 20, 1));
            assertThat(client.circuit()).isEqualTo(new TelegramClientProperties.Circuit(50, 5, 10, Duration.ofSeconds(5)));
        });
    }

    @Test
    void impossibleLimitsStopTheStart() {
        properties.withPropertyValues("dukan.telegram.rate.global-per-second=0",
                        "dukan.telegram.circuit.failure-rate-threshold=150")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void tokenWithoutChatStopsTheStartNamingTelegramChatId() {
        TelegramProperties tokenOnly = new TelegramProperties("1:SECRET", "", URI.create("http://localhost:1"));
        TelegramClientProperties client = new TelegramClientProperties(Duration.ofSeconds(1),
                new TelegramClientProperties.Rate(30, 20, 1),
                new TelegramClientProperties.Circuit(50, 5, 10, Duration.ofSeconds(5)));

        assertThatIllegalStateException()
                .isThrownBy(() -> new TelegramConfiguration().telegramSender(tokenOnly, client, null, null,
                        new SimpleMeterRegistry()))
                .withMessageContaining("TELEGRAM_CHAT_ID")
                .withMessageNotContaining("SECRET");
    }
}
