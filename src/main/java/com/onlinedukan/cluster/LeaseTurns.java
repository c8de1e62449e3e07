package com.onlinedukan.cluster;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This instance's turns at the lease: every {@code leadership-check-interval} the lease is renewed
 * if held and taken if free, whatever this instance runs (the relay, or only the notifier beside
 * Debezium Server). Starts before everything that asks who leads and stops after it, giving the
 * lease back so that a standby takes over at its next check.
 */
@Component
class LeaseTurns implements SmartLifecycle {

    private final Leadership leadership;
    private volatile ScheduledExecutorService turns;

    LeaseTurns(Leadership leadership) {
        this.leadership = leadership;
    }

    @Override
    public void start() {
        turns = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "dukan-lease-turns");
            thread.setDaemon(true);
            return thread;
        });
        turns.scheduleWithFixedDelay(leadership::check, 0, leadership.checkInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = turns;
        turns = null;
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(leadership.lease().toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        leadership.release();
    }

    @Override
    public boolean isRunning() {
        return turns != null;
    }

    /** Before the relay (phase 0) and every leader-only job: they stop while the lease is still held. */
    @Override
    public int getPhase() {
        return -10;
    }
}
