package com.onlinedukan.relay;

import java.time.Duration;
import java.util.Collections;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A fresh JVM decodes its first events in the interpreter: in a cold start under load, Debezium's
 * threads took twice the CPU per event in the first 20 s that they took a minute later, and the JIT
 * compiled its decoding after readiness. The order path is warmed before readiness with rolled-back
 * orders, which never reach the WAL; this warms the decoding with real WAL instead. From the
 * moment the application has started until it reports ready (its warm-up runs in between), the
 * relay's own heartbeat row is updated in rounds of {@value #BEATS_PER_ROUND} statements every
 * {@link #PAUSE}: each update is a change of a published table, decoded from the WAL by this
 * instance's Debezium engine like an outbox insert, and passed over by the relay like any heartbeat.
 * Nothing reaches the stream or the outbox. Only while this instance's engine streams (not on a
 * standby, whose beats would load the leader's engine, nor where the relay is turned off), and
 * never longer than {@link #AT_MOST}.
 */
@Component
class DecodingWarmUp {

    static final int BEATS_PER_ROUND = 20;
    static final Duration PAUSE = Duration.ofMillis(10);
    static final Duration AT_MOST = Duration.ofMinutes(2);

    private static final Logger log = LoggerFactory.getLogger(DecodingWarmUp.class);

    private static final String ROUND = String.join(";\n", Collections.nCopies(BEATS_PER_ROUND,
            "UPDATE " + ConnectorConfig.HEARTBEAT_TABLE + " SET beat_at = now() WHERE id = 1"));

    private final OutboxRelay relay;
    private final JdbcClient jdbc;
    private volatile boolean done;
    private volatile Thread beating;

    DecodingWarmUp(OutboxRelay relay, JdbcClient jdbc) {
        this.relay = relay;
        this.jdbc = jdbc;
    }

    @EventListener(ApplicationStartedEvent.class)
    void started() {
        RelayState state = relay.state();
        if (state == RelayState.DISABLED || state == RelayState.STOPPED) {
            return;
        }
        start();
    }

    @EventListener
    void readiness(AvailabilityChangeEvent<ReadinessState> event) {
        if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
            stop();
        }
    }

    @EventListener(ContextClosedEvent.class)
    void closing() {
        stop();
    }

    /** Starts beating, unless it ran before: a warm-up is for a fresh JVM only. */
    synchronized void start() {
        if (done || beating != null) {
            return;
        }
        Thread thread = new Thread(this::beat, "relay-decoding-warm-up");
        thread.setDaemon(true);
        thread.start();
        beating = thread;
    }

    /** Stops beating for good; returns once the last round has ended. */
    void stop() {
        Thread running;
        synchronized (this) {
            done = true;
            running = beating;
        }
        if (running != null) {
            try {
                running.join(5_000);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean isBeating() {
        Thread running = beating;
        return running != null && running.isAlive();
    }

    private void beat() {
        long deadline = System.nanoTime() + AT_MOST.toNanos();
        long rounds = 0;
        long failed = 0;
        while (!done && System.nanoTime() < deadline && failed <= 10) {
            try {
                // Only what this instance's own engine decodes: a standby's beats would load the leader's.
                if (relay.state() == RelayState.RUNNING) {
                    jdbc.sql(ROUND).update();
                    rounds++;
                }
                Thread.sleep(PAUSE.toMillis());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            catch (RuntimeException e) {
                // The database is not there yet, or goes away: a warm-up never stands in the way.
                failed++;
                try {
                    Thread.sleep(PAUSE.toMillis() * 10);
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (rounds > 0) {
            log.info("Warmed the relay's decoding with {} heartbeat updates before readiness", rounds * BEATS_PER_ROUND);
        }
    }
}
