package com.onlinedukan.infrastructure;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A health check that asks its resource at most once per {@code fresh} period, however many ask:
 * concurrent callers wait for the one check in flight and share its answer. For the database
 * ({@code db}, the readiness group's): {@code /actuator/health} is open, and a flood of it must
 * not borrow the connections that orders need.
 */
final class CoalescedHealth implements HealthIndicator {

    private final HealthIndicator delegate;
    private final long freshNanos;
    private final ReentrantLock checking = new ReentrantLock();
    private volatile Checked last;

    private record Checked(Health health, long at) {
    }

    CoalescedHealth(HealthIndicator delegate, Duration fresh) {
        this.delegate = delegate;
        this.freshNanos = fresh.toNanos();
    }

    @Override
    public Health health() {
        Checked seen = last;
        if (isFresh(seen)) {
            return seen.health();
        }
        checking.lock();
        try {
            seen = last;
            if (isFresh(seen)) {
                return seen.health();
            }
            Health health = delegate.health();
            last = new Checked(health, System.nanoTime());
            return health;
        }
        finally {
            checking.unlock();
        }
    }

    private boolean isFresh(Checked checked) {
        return checked != null && System.nanoTime() - checked.at() < freshNanos;
    }

    /** Replaces Spring Boot's {@code db} health indicator (it steps aside for a bean of this name). */
    @Configuration(proxyBeanMethods = false)
    static class DatabaseHealth {

        @Bean
        HealthIndicator dbHealthIndicator(DataSource dataSource) throws Exception {
            DataSourceHealthIndicator database = new DataSourceHealthIndicator(dataSource);
            database.afterPropertiesSet();
            return new CoalescedHealth(database, Duration.ofSeconds(1));
        }
    }
}
