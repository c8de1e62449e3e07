package com.onlinedukan.order.web;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A filter of order requests ({@code /api/orders} and below) alone, which also runs on the async
 * dispatch that brings back a request whose body was still arriving ({@link RequestBodyLimit}): the
 * order path's filters act on the dispatch that carries the body.
 */
abstract class OrderRequestFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/orders");
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }
}
