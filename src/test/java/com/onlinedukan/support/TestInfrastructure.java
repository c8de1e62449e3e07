package com.onlinedukan.support;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * PostgreSQL and Redis for a test context, Spring Boot's way, behind {@link TestServers}' one
 * switch: {@code @ServiceConnection} container beans where Docker answers, connection details of
 * the embedded servers where it does not. Either way the context's datasource, Flyway, the relay
 * and Redis get them as connection details, the service's own embedded default stays off (its
 * {@code EmbeddedInfrastructure} sees them), and {@link DukanTestContext} narrows them to the
 * context's own database.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestInfrastructure {

    @Configuration(proxyBeanMethods = false)
    @Conditional(InContainers.class)
    static class Containers {

        @Bean
        @ServiceConnection
        PostgreSQLContainer postgresContainer() {
            return TestServers.get().postgresContainer();
        }

        @Bean
        @ServiceConnection(name = "redis")
        @Conditional(RedisNotConfigured.class)
        GenericContainer<?> redisContainer() {
            return TestServers.get().redisContainer();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(Embedded.class)
    static class EmbeddedServers {

        @Bean
        JdbcConnectionDetails testPostgres() {
            return TestServers.get().postgresConnectionDetails();
        }

        @Bean
        @Conditional(RedisNotConfigured.class)
        DataRedisConnectionDetails testRedis() {
            return TestServers.get().redisConnectionDetails();
        }
    }

    /**
     * A test that configures a Sentinel or a Cluster with Spring Boot's own properties
     * ({@code spring.data.redis.sentinel.*}, {@code spring.data.redis.cluster.*}) gets Boot's
     * connection details from them, as the service would in production, not the shared test Redis.
     */
    static final class RedisNotConfigured implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !context.getEnvironment().containsProperty("spring.data.redis.sentinel.master")
                    && !context.getEnvironment().containsProperty("spring.data.redis.cluster.nodes");
        }
    }

    static final class InContainers implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return TestServers.get().inContainers();
        }
    }

    static final class Embedded implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !TestServers.get().inContainers();
        }
    }
}
