package com.onlinedukan.relay;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * Health of the relay ({@code relay}): DOWN while its engine is failed, and throughout a crash loop
 * (detail {@code crashLooping}, also between the restarts of the loop); a standby instance is
 * healthy. Not part of readiness: an instance whose relay is down still accepts orders (they wait
 * in the outbox), so taking it out of service would only refuse customers. It shows on
 * {@code /actuator/health}, the ops page and in {@code dukan_relay_failed}. And of its slot ({@code replicationSlot}): WARNING once the slot
 * retains more WAL than {@code dukan.relay.retained-wal-warning}.
 */
final class RelayHealth {

    static final Status WARNING = new Status("WARNING", "The replication slot retains a lot of WAL");

    /** Streaming, but Redis refuses what it publishes: not part of readiness, so orders are still taken. */
    static final Status REFUSED = new Status("WARNING", "Redis refuses what the relay publishes");

    private RelayHealth() {
    }

    @Component("relay")
    static class Relay implements HealthIndicator {

        private final RelayMonitor monitor;

        Relay(RelayMonitor monitor) {
            this.monitor = monitor;
        }

        @Override
        public Health health() {
            RelayStatus status = monitor.status();
            // Running with an error: the engine streams, and Redis refuses what it publishes (down, or
            // the key not a stream). Nothing is lost (the slot keeps it), but nothing moves either.
            Health.Builder health = status.state() == RelayState.FAILED || status.crashLooping() ? Health.down()
                    : status.state() == RelayState.RUNNING && status.lastError() != null ? Health.status(REFUSED)
                    : Health.up();
            health.withDetail("state", status.state()).withDetail("leader", status.leader())
                    .withDetail("consecutiveFailures", status.consecutiveFailures())
                    .withDetail("crashLooping", status.crashLooping());
            if (status.lastError() != null) {
                health.withDetail("error", status.lastError());
            }
            return health.build();
        }
    }

    @Component("replicationSlot")
    static class Slot implements HealthIndicator {

        private final RelayMonitor monitor;
        private final long warning;

        Slot(RelayMonitor monitor, RelayProperties properties) {
            this.monitor = monitor;
            this.warning = properties.retainedWalWarning().toBytes();
        }

        @Override
        public Health health() {
            long retained = monitor.status().retainedWalBytes();
            Health.Builder health = retained > warning ? Health.status(WARNING) : Health.up();
            return health.withDetail("retainedWalBytes", retained).withDetail("warningAboveBytes", warning).build();
        }
    }
}
