package com.onlinedukan.order.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import io.micrometer.observation.ObservationFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;


import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;

/**
 * The door that {@link OrderWarmUp}'s requests come through: an order request carrying this
 * instance's warm-up token runs its whole path (HTTP, JSON, validation, the order's statement) in a
 * transaction that is always rolled back, so it stores nothing and the relay never sees it.
 * The token is random, lives only in this process's memory while the warm-up runs, and is
 * forgotten before the instance reports ready; from then on this filter is one volatile read
 * and every request is an order like any other.
 * <p>
 * The warm-up's requests are observed as every request is, so that the observation's and tracing's
 * code is compiled before readiness too, but they are not the service's traffic: their timer is
 * {@value #REQUESTS} instead of {@code http.server.requests}, and the warm-up asks for no trace
 * (it sends an unsampled {@code traceparent}, {@link OrderWarmUp}).
 */
@Component
@Order(RequestBodyLimit.ORDER + 2)
class WarmUpRollback extends OrderRequestFilter {

    static final String HEADER = "Dukan-Warm-Up";

    /** The name the warm-up's requests are observed under, apart from the service's traffic. */
    static final String REQUESTS = "dukan.warm-up.requests";

    /** The request attribute that marks a warm-up request, read when its observation stops. */
    private static final String MARK = WarmUpRollback.class.getName() + ".warmUp";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final PlatformTransactionManager transactions;
    private volatile byte[] token;

    WarmUpRollback(PlatformTransactionManager transactions) {
        this.transactions = transactions;
    }

    /** Opens the door with a new token, the value of {@link #HEADER} that rolls a request back. */
    String open() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String value = HexFormat.of().formatHex(bytes);
        token = value.getBytes(StandardCharsets.US_ASCII);
        return value;
    }

    /** Closes the door for good: no request is rolled back any more. */
    void close() {
        token = null;
    }

    boolean isOpen() {
        return token != null;
    }

    /** Whether {@code request} is one of the warm-up's: it carries the token while the door is open. */
    boolean isWarmUp(HttpServletRequest request) {
        byte[] expected = token;
        String presented = expected == null ? null : request.getHeader(HEADER);
        return presented != null && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A warm-up request's observation goes by {@link #REQUESTS}: timed, but apart from
     * {@code http.server.requests}. The mark is set by this filter while the request runs, so a
     * request that stops after the warm-up has ended is still told apart.
     */
    @Bean
    static ObservationFilter warmUpRequestsApart() {
        return context -> {
            if (context instanceof ServerRequestObservationContext request && request.getCarrier() != null
                    && request.getCarrier().getAttribute(MARK) != null) {
                context.setName(REQUESTS);
            }
            return context;
        };
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return token == null || super.shouldNotFilter(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!isWarmUp(request)) {
            chain.doFilter(request, response);
            return;
        }
        request.setAttribute(MARK, Boolean.TRUE);
        TransactionStatus status = transactions.getTransaction(TransactionDefinition.withDefaults());
        try {
            chain.doFilter(request, response);
        }
        finally {
            transactions.rollback(status);
        }
    }
}
