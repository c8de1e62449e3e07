package com.onlinedukan.cluster;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/** A lease no renewal can keep stops the start, naming the property. */
class LeasePropertiesTests {

    final ApplicationContextRunner properties = new ApplicationContextRunner()
            .withUserConfiguration(Properties.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(LeaseProperties.class)
    static class Properties {
    }

    @Test
    void defaultsAreValid() {
        properties.run(context -> assertThat(context).hasNotFailed().hasSingleBean(LeaseProperties.class));
    }

    @Test
    void aLeaseUnderASecondStopsTheStart() {
        properties.withPropertyValues("dukan.relay.leader-lease=900ms", "dukan.relay.leadership-check-interval=100ms")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()).getMessage())
                            .contains("dukan.relay").contains("'leaderLease'");
                });
        properties.withPropertyValues("dukan.relay.leader-lease=1s", "dukan.relay.leadership-check-interval=100ms")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aLeaseShorterThanTwoChecksStopsTheStart() {
        properties.withPropertyValues("dukan.relay.leader-lease=3s", "dukan.relay.leadership-check-interval=2s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()).getMessage())
                            .contains("dukan.relay.leader-lease must be at least twice dukan.relay.leadership-check-interval");
                });
    }
}
