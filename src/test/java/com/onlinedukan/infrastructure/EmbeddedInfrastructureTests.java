package com.onlinedukan.infrastructure;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Embedded servers are the laptop default only: half a configuration never embeds the other half,
 * and connection details someone else brings (a test's containers) always win.
 */
@ExtendWith(OutputCaptureExtension.class)
// It reads what the JVM prints while it runs: this class runs alone.
@Isolated
class EmbeddedInfrastructureTests {

    /**
     * The auto-configuration alone, with {@code dukan.embedded.enabled} unset (the build sets it
     * to false for every test JVM) and a data directory nobody uses: these contexts must embed nothing.
     */
    final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EmbeddedInfrastructure.class))
            .withPropertyValues("dukan.embedded.enabled=",
                    "dukan.embedded.data-dir=" + Path.of("target", "never-used-embedded-data").toAbsolutePath());

    @Test
    void onlyADatasourceConfiguredNeverStartsAnEmbeddedRedis(CapturedOutput log) {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db.example:5432/dukan");

        EmbeddedInfrastructure.Decision decision = EmbeddedInfrastructure.decide(environment);
        assertThat(decision.postgres()).isFalse();
        assertThat(decision.redis()).isFalse();
        assertThat(decision.note()).contains("localhost:6379");

        contexts.withPropertyValues("spring.datasource.url=jdbc:postgresql://db.example:5432/dukan").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(LocalRedis.class).doesNotHaveBean(LocalPostgres.class);
        });
        assertThat(log).contains("PostgreSQL is configured and Redis is not");
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

    @Test
    void connectionDetailsSomeoneElseBringsWinAndNothingIsEmbedded(CapturedOutput log) {
        contexts.withUserConfiguration(BroughtServers.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(LocalPostgres.class).doesNotHaveBean(LocalRedis.class);
            assertThat(context.getBean(JdbcConnectionDetails.class).getJdbcUrl()).contains("db.example");
        });
        assertThat(log).doesNotContain("embedded");
    }

    @Test
    void theDataDirectoryIsInTheHomeTheContextSeesUnlessConfigured() {
        assertThat(EmbeddedInfrastructure.dataDir(new MockEnvironment().withProperty("user.home", "/home/dev")))
                .isEqualTo(Path.of("/home/dev", ".onlinedukan"));
        assertThat(EmbeddedInfrastructure.dataDir(new MockEnvironment().withProperty("user.home", "/home/dev")
                .withProperty("dukan.embedded.data-dir", "/srv/dukan"))).isEqualTo(Path.of("/srv/dukan"));
    }

    @Configuration(proxyBeanMethods = false)
    static class BroughtServers {

        @Bean
        JdbcConnectionDetails broughtPostgres() {
            return new JdbcConnectionDetails() {
                @Override
                public String getJdbcUrl() {
                    return "jdbc:postgresql://db.example:5432/dukan";
                }

                @Override
                public String getUsername() {
                    return "dukan";
                }

                @Override
                public String getPassword() {
                    return "secret";
                }
            };
        }

        @Bean
        DataRedisConnectionDetails broughtRedis() {
            return new DataRedisConnectionDetails() {
                @Override
                public Standalone getStandalone() {
                    return Standalone.of("redis.example", 6379);
                }
            };
        }
    }
}
