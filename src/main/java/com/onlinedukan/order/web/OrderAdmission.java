package com.onlinedukan.order.web;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.onlinedukan.order.OrderProperties;
import com.onlinedukan.web.ProblemTypes;
import com.onlinedukan.web.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Admits at most {@code dukan.orders.max-in-flight} order requests at once; one that finds no room
 * within {@code admission-wait} gets {@code 503} with {@code Retry-After} and nothing is stored.
 * Past its capacity the service says so at once instead of queueing requests (virtual threads make
 * a queue cheap to start and unbounded) until the heap runs out and every accepted order waits.
 * A request reaches this filter with its body read ({@link RequestBodyLimit} runs first), so the
 * slots count requests being processed, never clients still sending a body (a body that was still
 * arriving comes back on an async dispatch, and is admitted only then).
 */
@Component
@Order(RequestBodyLimit.ORDER + 1)
class OrderAdmission extends OrderRequestFilter {

    private final Semaphore room;
    private final long waitNanos;
    private final Counter refused;

    OrderAdmission(OrderProperties properties, MeterRegistry meters) {
        this.room = new Semaphore(properties.maxInFlight());
        this.waitNanos = properties.admissionWait().toNanos();
        this.refused = Counter.builder("dukan.orders.refused.busy")
                .description("Order requests answered 503 because max-in-flight were already being served")
                .register(meters);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean admitted;
        try {
            admitted = room.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            refused.increment();
            busy(response);
            return;
        }
        try {
            chain.doFilter(request, response);
        }
        finally {
            room.release();
        }
    }

    private static void busy(HttpServletResponse response) throws IOException {
        response.setHeader("Retry-After", "1");
        Problems.write(response, Problems.of(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.OVERLOADED, "Busy",
                "The service is at its capacity; nothing was stored. Retry after a second "
                        + "(with the same Idempotency-Key, if you sent one)."));
    }
}
