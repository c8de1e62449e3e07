package com.onlinedukan.infrastructure;

import java.nio.file.Path;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The local default, Spring Boot's way: when neither PostgreSQL nor Redis is configured, an
 * embedded PostgreSQL and Redis are started and offered as {@link JdbcConnectionDetails} and
 * {@link DataRedisConnectionDetails}, so the datasource, Flyway and the relay's Debezium engine
 * all use them, and the log says so. Configured means a {@code spring.datasource.url} or
 * {@code spring.data.redis.*} address, or connection details of someone else's (a test's
 * {@code @ServiceConnection} container): those always win. Half a configuration is a deployment,
 * not a laptop: with only one of them configured nothing is embedded, the other takes Spring
 * Boot's defaults (Redis on localhost:6379), and the log says so — an embedded server there
 * would quietly keep orders or stream entries on one machine's disk.
 * {@code dukan.embedded.enabled=true} embeds whatever is missing; {@code false} embeds nothing.
 * The servers keep their data in {@code dukan.embedded.data-dir} ({@code ~/.onlinedukan}).
 */
@AutoConfiguration(before = {DataSourceAutoConfiguration.class, DataRedisAutoConfiguration.class},
        afterName = "org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration")
@Import(EmbeddedInfrastructure.Registrar.class)
public final class EmbeddedInfrastructure {

    static final String DATA_DIR = "dukan.embedded.data-dir";
    /**
     * {@code false} turns the embedded default off (tests bring their own servers); {@code true}
     * embeds whatever is not configured, even when the other one is.
     */
    static final String ENABLED = "dukan.embedded.enabled";
    static final String POSTGRES_BEAN = "localPostgres";
    static final String REDIS_BEAN = "localRedis";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedInfrastructure.class);

    /** What to embed for an environment, and what to tell the operator when it is only half configured. */
    record Decision(boolean postgres, boolean redis, String note) {
    }

    static Decision decide(Environment environment) {
        return decide(environment, false, false);
    }

    /**
     * @param postgresBeans whether the context already has PostgreSQL connection details or a datasource
     * @param redisBeans whether it already has Redis connection details or a connection factory
     */
    static Decision decide(Environment environment, boolean postgresBeans, boolean redisBeans) {
        boolean postgresConfigured = postgresBeans || environment.containsProperty("spring.datasource.url");
        boolean redisConfigured = redisBeans || environment.containsProperty("spring.data.redis.host")
                || environment.containsProperty("spring.data.redis.port")
                || environment.containsProperty("spring.data.redis.url")
                || environment.containsProperty("spring.data.redis.sentinel.master")
                || environment.containsProperty("spring.data.redis.cluster.nodes");
        Boolean asked = environment.getProperty(ENABLED, Boolean.class);
        if (Boolean.FALSE.equals(asked)) {
            return new Decision(false, false, null);
        }
        if (Boolean.TRUE.equals(asked) || !postgresConfigured && !redisConfigured) {
            return new Decision(!postgresConfigured, !redisConfigured, null);
        }
        if (!redisConfigured) {
            return new Decision(false, false, "PostgreSQL is configured and Redis is not: using Spring Boot's default "
                    + "Redis (localhost:6379), not an embedded one. Set spring.data.redis.host (SPRING_DATA_REDIS_HOST), "
                    + "or " + ENABLED + "=true to embed it");
        }
        if (!postgresConfigured) {
            return new Decision(false, false, "Redis is configured and PostgreSQL is not: using Spring Boot's default "
                    + "datasource, not an embedded PostgreSQL. Set spring.datasource.url (SPRING_DATASOURCE_URL), "
                    + "or " + ENABLED + "=true to embed it");
        }
        return new Decision(false, false, null);
    }

    /**
     * Where the embedded servers keep their data: {@code dukan.embedded.data-dir}, else
     * {@code .onlinedukan} in the {@code user.home} this context sees.
     */
    static Path dataDir(Environment environment) {
        String configured = environment.getProperty(DATA_DIR);
        return configured != null ? Path.of(configured)
                : Path.of(environment.getRequiredProperty("user.home"), ".onlinedukan");
    }

    /**
     * Decides once, after the application's and the tests' own beans and before Spring Boot's
     * datasource and Redis configuration, and registers the embedded servers' connection details.
     */
    static final class Registrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

        private Environment environment;

        @Override
        public void setEnvironment(Environment environment) {
            this.environment = environment;
        }

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            ListableBeanFactory beans = (ListableBeanFactory) registry;
            Decision decision = decide(environment,
                    defines(beans, JdbcConnectionDetails.class) || defines(beans, DataSource.class),
                    defines(beans, DataRedisConnectionDetails.class) || defines(beans, RedisConnectionFactory.class));
            if (decision.note() != null) {
                log.warn(decision.note());
            }
            Path dataDir = dataDir(environment);
            if (decision.postgres()) {
                RootBeanDefinition postgres = new RootBeanDefinition(LocalPostgres.class,
                        () -> LocalPostgres.start(dataDir.resolve("postgres")));
                postgres.setDestroyMethodName("close");
                registry.registerBeanDefinition(POSTGRES_BEAN, postgres);
            }
            if (decision.redis()) {
                RootBeanDefinition redis = new RootBeanDefinition(LocalRedis.class,
                        () -> LocalRedis.start(dataDir.resolve("redis")));
                redis.setDestroyMethodName("close");
                registry.registerBeanDefinition(REDIS_BEAN, redis);
            }
        }

        private static boolean defines(ListableBeanFactory beans, Class<?> type) {
            return beans.getBeanNamesForType(type, true, false).length > 0;
        }
    }
}
