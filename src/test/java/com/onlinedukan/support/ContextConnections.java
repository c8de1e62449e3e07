package com.onlinedukan.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.flyway.autoconfigure.FlywayConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * Narrows the shared servers' connection details (a container's or the embedded servers') to one
 * test context: its own database on the shared PostgreSQL, optionally reached through a port of
 * the test's own on localhost (a {@link FreezableProxy}), optionally as another login ({@link Login}:
 * a password of the test's own, or user and password in the URL alone), and optionally a Redis of
 * the test's own.
 * Everything that connects — the datasource, Flyway, the relay's Debezium engine and its lease —
 * reads these, so they all land in the same place.
 */
final class ContextConnections implements BeanPostProcessor {

    private static final Pattern POSTGRES_URL = Pattern.compile("jdbc:postgresql://([^/?]+)/([^?]*)(\\?.*)?");

    private final String database;
    private final Integer postgresPort;
    private final Integer redisPort;
    private final Login login;

    /**
     * Who the context connects as, instead of the servers' own user and password.
     *
     * @param user the user; null: the servers' own
     * @param password the password (empty: none)
     * @param inUrl given in the JDBC URL alone ({@code ?user=...&password=...}), not as settings of their own
     */
    record Login(String user, String password, boolean inUrl) {
    }

    ContextConnections(String database, Integer postgresPort, Integer redisPort, Login login) {
        this.login = login;
        this.database = database;
        this.postgresPort = postgresPort;
        this.redisPort = redisPort;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String name) {
        if (bean instanceof JdbcConnectionDetails jdbc) {
            return new JdbcConnectionDetails() {
                @Override
                public String getJdbcUrl() {
                    return login != null && login.inUrl() ? withLogin(onContextDatabase(jdbc.getJdbcUrl()))
                            : onContextDatabase(jdbc.getJdbcUrl());
                }

                @Override
                public String getUsername() {
                    if (login == null) {
                        return jdbc.getUsername();
                    }
                    return login.inUrl() ? null : login.user() != null ? login.user() : jdbc.getUsername();
                }

                @Override
                public String getPassword() {
                    if (login == null) {
                        return jdbc.getPassword();
                    }
                    return login.inUrl() ? null : login.password();
                }
            };
        }
        if (bean instanceof FlywayConnectionDetails flyway) {
            // A container's own details for Flyway point at the container's default database.
            return new FlywayConnectionDetails() {
                @Override
                public String getJdbcUrl() {
                    return flyway.getJdbcUrl() == null ? null : onContextDatabase(flyway.getJdbcUrl());
                }

                @Override
                public String getUsername() {
                    return flyway.getUsername();
                }

                @Override
                public String getPassword() {
                    return login != null && !login.inUrl() ? login.password() : flyway.getPassword();
                }
            };
        }
        if (bean instanceof DataRedisConnectionDetails && redisPort != null) {
            return new DataRedisConnectionDetails() {
                @Override
                public Standalone getStandalone() {
                    return Standalone.of("localhost", redisPort);
                }
            };
        }
        return bean;
    }

    String onContextDatabase(String url) {
        Matcher parts = POSTGRES_URL.matcher(url);
        if (!parts.matches()) {
            throw new IllegalStateException("Not a PostgreSQL JDBC URL: " + url);
        }
        String hostAndPort = postgresPort == null ? parts.group(1) : "localhost:" + postgresPort;
        return "jdbc:postgresql://" + hostAndPort + "/" + database + (parts.group(3) == null ? "" : parts.group(3));
    }

    private String withLogin(String url) {
        return url + (url.contains("?") ? "&" : "?") + "user=" + encode(login.user()) + "&password=" + encode(login.password());
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
