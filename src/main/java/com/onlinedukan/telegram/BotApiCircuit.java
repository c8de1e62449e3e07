package com.onlinedukan.telegram;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker (Resilience4j) over the Bot API, this instance's own. Only failures that may
 * pass count against it; while it is open nothing calls Telegram, and after {@code open-wait} one
 * call at a time goes through as the probe: its success closes the circuit.
 */
class BotApiCircuit {

    private static final Logger log = LoggerFactory.getLogger(BotApiCircuit.class);
    /** How soon to look again while another call is the half-open probe. */
    static final Duration PROBE_IN_FLIGHT = Duration.ofMillis(200);

    private final CircuitBreaker breaker;
    private final Duration openWait;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long openedAtNanos;

    BotApiCircuit(TelegramClientProperties.Circuit circuit, MeterRegistry meters) {
        this.openWait = circuit.openWait();
        this.breaker = CircuitBreaker.of("telegram", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(circuit.window())
                .minimumNumberOfCalls(Math.min(circuit.minimumCalls(), circuit.window()))
                .failureRateThreshold(circuit.failureRateThreshold())
                .waitDurationInOpenState(circuit.openWait())
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
        breaker.getEventPublisher().onStateTransition(event -> {
            State to = event.getStateTransition().getToState();
            if (to == State.OPEN) {
                openedAtNanos = System.nanoTime();
                log.warn("Telegram circuit OPEN: {}% of the latest calls failed; no calls to the Bot API for {}s, "
                        + "then one probe", Math.round(breaker.getMetrics().getFailureRate()), openWait.toSeconds());
            }
            else if (to == State.HALF_OPEN) {
                log.info("Telegram circuit HALF_OPEN: the next call is the probe");
            }
            else {
                log.info("Telegram circuit {}: calls to the Bot API go through again", to);
            }
        });
        Gauge.builder("dukan.telegram.circuit.state", breaker, b -> code(b.getState()))
                .description("The circuit breaker over the Telegram Bot API: 0 closed, 1 open, 2 half-open")
                .register(meters);
    }

    /** Asks to make one call; if granted, the caller must report it ({@link #succeeded}, {@link #failed}, {@link #unused}). */
    boolean tryEnter() {
        if (!breaker.tryAcquirePermission()) {
            return false;
        }
        inFlight.incrementAndGet();
        return true;
    }

    /** The call was not made after all. */
    void unused() {
        inFlight.decrementAndGet();
        breaker.releasePermission();
    }

    /** Telegram answered (any answer that is not a failure that may pass). */
    void succeeded(long startNanos) {
        inFlight.decrementAndGet();
        breaker.onSuccess(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** The call failed in a way that may pass; returns whether the circuit is no longer closed after it. */
    boolean failed(long startNanos, String error) {
        inFlight.decrementAndGet();
        breaker.onError(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS, new TransientFailure(error));
        return breaker.getState() != State.CLOSED;
    }

    /** How long until a call could be let through: the rest of the open wait, or a moment while a probe is out. */
    Duration readyIn() {
        State state = breaker.getState();
        if (state == State.OPEN) {
            long left = openWait.toNanos() - (System.nanoTime() - openedAtNanos);
            return Duration.ofNanos(Math.max(0, left));
        }
        if (state == State.HALF_OPEN && inFlight.get() > 0) {
            return PROBE_IN_FLIGHT;
        }
        return Duration.ZERO;
    }

    /** Why a call was not let through, for a {@link SendOutcome.NotSent}. */
    SendOutcome.NotSent refusal() {
        Duration wait = readyIn();
        if (breaker.getState() == State.HALF_OPEN) {
            return new SendOutcome.NotSent(wait.isZero() ? PROBE_IN_FLIGHT : wait,
                    "circuit half-open: a probe call to Telegram is in flight");
        }
        return new SendOutcome.NotSent(wait, "circuit open: Telegram failed for everyone lately");
    }

    String state() {
        return breaker.getState().name();
    }

    boolean closed() {
        return breaker.getState() == State.CLOSED;
    }

    private static int code(State state) {
        return switch (state) {
            case OPEN, FORCED_OPEN -> 1;
            case HALF_OPEN -> 2;
            default -> 0;
        };
    }

    /** What the breaker records for a failure; carries the scrubbed error only. */
    static final class TransientFailure extends RuntimeException {

        TransientFailure(String error) {
            super(error, null, false, false);
        }
    }
}
