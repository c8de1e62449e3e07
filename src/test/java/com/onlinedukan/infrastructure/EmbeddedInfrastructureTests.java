package com.onlinedukan.infrastructure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** Embedded servers are the laptop default only: half a configuration never embeds the other half. */
class EmbeddedInfrastructureTests {

    @Test
    void onlyADatasourceConfiguredNeverStartsAnEmbeddedRedis() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db.example:5432/dukan");

        EmbeddedInfrastructure.Decision decision = EmbeddedInfrastructure.decide(environment);
        assertThat(decision.postgres()).isFalse();
        assertThat(decision.redis()).isFalse();
        assertThat(decision.note()).contains("localhost:6379");

        new EmbeddedInfrastructure(new DeferredLogs()).postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getPropertySources().contains("embeddedInfrastructure")).isFalse();
        assertThat(environment.containsProperty("spring.data.redis.host")).isFalse();
    }

    @Test
    void onlyRedisConfiguredNeverStartsAnEmbeddedPostgres() {
        EmbeddedInfrastructure.Decision decision = EmbeddedInfrastructure.decide(new MockEnvironment()
                .withProperty("spring.data.redis.host", "redis.example"));
        assertThat(decision.postgres()).isFalse();
        assertThat(decision.redis()).isFalse();
        assertThat(decision.note()).contains("SPRING_DATASOURCE_URL");
    }

    @Test
    void nothingConfiguredEmbedsBoth() {
        EmbeddedInfrastructure.Decision decision = EmbeddedInfrastructure.decide(new MockEnvironment());
        assertThat(decision.postgres()).isTrue();
        assertThat(decision.redis()).isTrue();
        assertThat(decision.note()).isNull();
    }

    @Test
    void askingExplicitlyEmbedsWhatIsMissingAndTurningItOffEmbedsNothing() {
        EmbeddedInfrastructure.Decision asked = EmbeddedInfrastructure.decide(new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db.example:5432/dukan")
                .withProperty("dukan.embedded.enabled", "true"));
        assertThat(asked.postgres()).isFalse();
        assertThat(asked.redis()).isTrue();

        EmbeddedInfrastructure.Decision off = EmbeddedInfrastructure.decide(new MockEnvironment()
                .withProperty("dukan.embedded.enabled", "false"));
        assertThat(off.postgres()).isFalse();
        assertThat(off.redis()).isFalse();
    }

    @Test
    void everythingConfiguredEmbedsNothingAndSaysNothing() {
        EmbeddedInfrastructure.Decision decision = EmbeddedInfrastructure.decide(new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db.example:5432/dukan")
                .withProperty("spring.data.redis.host", "redis.example"));
        assertThat(decision.postgres()).isFalse();
        assertThat(decision.redis()).isFalse();
        assertThat(decision.note()).isNull();
    }
}
