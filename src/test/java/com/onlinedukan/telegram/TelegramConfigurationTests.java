package com.onlinedukan.telegram;

import java.net.URI;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The client's configuration: the contract's defaults, validation, a token without a chat, and the dry run. */
class TelegramConfigurationTests {

    final ApplicationContextRunner properties = new ApplicationContextRunner()
            .withUserConfiguration(Properties.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({ TelegramClientProperties.class, TelegramProperties.class })
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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "dukan.telegram.rate.global-per-second=0 | rate.globalPerSecond",
            "dukan.telegram.rate.per-chat-per-minute=0 | rate.perChatPerMinute",
            "dukan.telegram.timeout=0s               | timeout",
            "dukan.telegram.circuit.open-wait=-5s    | circuit.openWait" })
    void nonsenseStopsTheStartNamingTheProperty(String property, String field) {
        properties.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            assertThat(failure(context)).contains("dukan.telegram").contains("'" + field + "'");
        });
    }

    @Test
    void apiUrlWithoutAHostStopsTheStartNamingTelegramApiUrl() {
        service.withPropertyValues("telegram.api-url=localhost:8081").run(context -> {
            assertThat(context).hasFailed();
            assertThat(failure(context)).contains("TELEGRAM_API_URL");
        });
    }

    /** The service's Telegram wiring with no database or Redis behind it: enough for the dry-run choices. */
    final ApplicationContextRunner service = new ApplicationContextRunner()
            .withUserConfiguration(Properties.class, TelegramConfiguration.class)
            .withBean(JdbcClient.class, () -> JdbcClient.create(new SimpleDriverDataSource()))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    @Test
    void withoutATokenNotificationsGoToTheLogVisiblyByDefault() {
        service.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(TelegramSender.class)).isInstanceOf(DryRunSender.class);
            assertThat(context.getBean(MeterRegistry.class).get("dukan.telegram.dry.run").gauge().value()).isEqualTo(1);
            Health health = context.getBean(TelegramHealth.class).health();
            assertThat(health.getStatus()).isEqualTo(TelegramHealth.WARNING);
            assertThat(health.getDetails()).containsEntry("dryRun", true);
        });
    }

    @Test
    void dryRunFalseWithoutATokenStopsTheStartNamingTheToken() {
        service.withPropertyValues("dukan.telegram.dry-run=false").run(context -> {
            assertThat(context).hasFailed();
            assertThat(failure(context)).contains("TELEGRAM_BOT_TOKEN").contains("dukan.telegram.dry-run");
        });
    }

    @Test
    void dryRunTrueKeepsATokenUnusedAndSecret() {
        service.withPropertyValues("dukan.telegram.dry-run=true", "telegram.bot-token=1:SECRET", "telegram.chat-id=-100")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(TelegramSender.class)).isInstanceOf(DryRunSender.class);
                    assertThat(context.getBean(MeterRegistry.class).get("dukan.telegram.dry.run").gauge().value())
                            .isEqualTo(1);
                    assertThat(context.getBean(TelegramProperties.class).toString()).doesNotContain("SECRET");
                });
    }

    private static String failure(org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    @Test
    void tokenWithoutChatStopsTheStartNamingTelegramChatId() {
        TelegramProperties tokenOnly = new TelegramProperties("1:SECRET", "", URI.create("http://localhost:1"));
        TelegramClientProperties client = new TelegramClientProperties(Duration.ofSeconds(1),
                new TelegramClientProperties.Rate(30, 20, 1),
                new TelegramClientProperties.Circuit(50, 5, 10, Duration.ofSeconds(5)), null, Duration.ofMinutes(15));

        assertThatIllegalStateException()
                .isThrownBy(() -> new TelegramConfiguration().telegramSender(tokenOnly, client, null, null,
                        new SimpleMeterRegistry(), new org.springframework.mock.env.MockEnvironment()))
                .withMessageContaining("TELEGRAM_CHAT_ID")
                .withMessageNotContaining("SECRET");
    }
}
