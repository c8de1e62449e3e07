package com.onlinedukan.notification;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/** Nonsense in {@code dukan.notification.*} and {@code dukan.reconciler.*} stops the start, naming the property. */
class NotificationPropertiesTests {

    final ApplicationContextRunner properties = new ApplicationContextRunner()
            .withUserConfiguration(Properties.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({ NotificationProperties.class, ReconcilerProperties.class })
    static class Properties {
    }

    @Test
    void defaultsAreValid() {
        properties.run(context -> assertThat(context).hasNotFailed().hasSingleBean(NotificationProperties.class));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "dukan.notification.lease=0                                                  | lease",
            "dukan.notification.retry.initial-backoff=-1s                                | retry.initialBackoff",
            "dukan.notification.retry-poll-interval=0ms                                  | retryPollInterval",
            "dukan.notification.retry.max-attempts=0                                     | retry.maxAttempts",
            "dukan.notification.replay-chunk-size=0                                      | replayChunkSize",
            "dukan.reconciler.interval=0s                                                | interval" })
    void nonsenseStopsTheStartNamingTheProperty(String property, String field) {
        properties.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            String message = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()).getMessage();
            assertThat(message).contains(property.substring(0, property.indexOf('.', "dukan.".length())))
                    .contains("'" + field + "'");
        });
    }

    @Test
    void maxBackoffShorterThanTheInitialOneStopsTheStart() {
        properties.withPropertyValues("dukan.notification.retry.initial-backoff=10s",
                "dukan.notification.retry.max-backoff=1s").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()).getMessage())
                            .contains("dukan.notification.retry.max-backoff must not be shorter than "
                                    + "dukan.notification.retry.initial-backoff");
                });
    }
}
