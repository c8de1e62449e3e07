package com.onlinedukan.support;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.onlinedukan.cluster.Leadership;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * Takes this instance's turn at the cluster's lease every check interval, as the relay does in the
 * service (enabled or not): for a module test that starts no relay and needs a leader (the staff's
 * update poller, the escalations). With {@link LeaseWithoutRelay} for the lease's key.
 */
@TestConfiguration(proxyBeanMethods = false)
public class LeaseTurns {

    @Bean
    SmartLifecycle leaseTurns(Leadership leadership) {
        return new SmartLifecycle() {

            private volatile ScheduledExecutorService turns;

            @Override
            public void start() {
                turns = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "test-lease-turns"));
                turns.scheduleWithFixedDelay(leadership::check, 0, leadership.checkInterval().toMillis(),
                        TimeUnit.MILLISECONDS);
            }

            @Override
            public void stop() {
                turns.shutdownNow();
                leadership.release();
                turns = null;
            }

            @Override
            public boolean isRunning() {
                return turns != null;
            }
        };
    }
}
