package com.onlinedukan.order.web;

import java.util.List;

import com.onlinedukan.order.IdempotencyKeys.KeyReusedException;
import com.onlinedukan.web.ProblemTypes;
import com.onlinedukan.web.Problems;
import com.onlinedukan.web.Problems.FieldError;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The problems only the order API gives, about its {@code Idempotency-Key}; every other error is
 * the web module's. Ordered first: the web module's handler of any {@code Exception} would take these.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class OrderProblems {

    @ExceptionHandler(InvalidIdempotencyKeyException.class)
    ProblemDetail invalidIdempotencyKey(InvalidIdempotencyKeyException ex) {
        return Problems.of(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_IDEMPOTENCY_KEY, "Invalid Idempotency-Key",
                ex.getMessage(), List.of(new FieldError(OrderController.IDEMPOTENCY_KEY, ex.getMessage())));
    }

    @ExceptionHandler(KeyReusedException.class)
    ProblemDetail keyReused(KeyReusedException ex) {
        return Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, ProblemTypes.IDEMPOTENCY_KEY_MISMATCH,
                "Idempotency-Key reused", ex.getMessage(),
                List.of(new FieldError(OrderController.IDEMPOTENCY_KEY, "already used with a different body")));
    }
}
