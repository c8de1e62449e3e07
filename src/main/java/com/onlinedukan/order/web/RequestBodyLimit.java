package com.onlinedukan.order.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.onlinedukan.order.OrderProperties;
import com.onlinedukan.web.ProblemTypes;
import com.onlinedukan.web.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Reads an order request's whole body before anything else sees the request, within
 * {@code dukan.orders.max-body-size} ({@code 413}) and {@code dukan.orders.body-deadline}
 * ({@code 408}, the connection closed). What is still arriving is read without a thread (servlet
 * non-blocking IO); only a complete body goes on to {@link OrderAdmission}, so a client that sends
 * its headers and trickles the body holds neither an admission slot nor a request thread, and the
 * slots count requests being processed, never connections still sending.
 */
@Component
@Order(RequestBodyLimit.ORDER)
class RequestBodyLimit extends OrderRequestFilter {

    /** Before {@link OrderAdmission}. */
    static final int ORDER = 0;
    private static final String BODY = RequestBodyLimit.class.getName() + ".BODY";

    private final long max;
    private final long deadlineMillis;
    private final Counter timedOut;

    RequestBodyLimit(OrderProperties properties, MeterRegistry meters) {
        this.max = properties.maxBodySize().toBytes();
        this.deadlineMillis = properties.bodyDeadline().toMillis();
        this.timedOut = Counter.builder("dukan.orders.refused.slow.body")
                .description("Order requests answered 408 because their body did not arrive within body-deadline")
                .register(meters);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
            byte[] body = (byte[]) request.getAttribute(BODY);
            request.removeAttribute(BODY);
            chain.doFilter(body == null ? request : new Buffered(request, body), response);
            return;
        }
        long length = request.getContentLengthLong();
        if (length > max) {
            tooLarge(response);
            return;
        }
        boolean chunked = request.getHeader("Transfer-Encoding") != null;
        if (length == 0 || length < 0 && !chunked) {
            chain.doFilter(request, response);
            return;
        }
        ServletInputStream in = request.getInputStream();
        ByteArrayOutputStream body = new ByteArrayOutputStream(length > 0 ? (int) length : 1024);
        if (!chunked && readBuffered(in, body, length)) {
            // The common case: the whole body came with the headers; no second dispatch.
            chain.doFilter(new Buffered(request, body.toByteArray()), response);
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(deadlineMillis);
        BodyReader reader = new BodyReader(async, in, body);
        async.addListener(reader);
        in.setReadListener(reader);
    }

    /**
     * Reads what the container already holds (never waiting on the socket: {@code available()} of
     * a blocking stream does not read); true when that was the whole {@code length}.
     */
    private static boolean readBuffered(ServletInputStream in, ByteArrayOutputStream body, long length)
            throws IOException {
        byte[] chunk = new byte[8192];
        while (body.size() < length && in.available() > 0) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, length - body.size()));
            if (n < 0) {
                break;
            }
            body.write(chunk, 0, n);
        }
        return body.size() >= length;
    }

    private void tooLarge(HttpServletResponse response) throws IOException {
        Problems.write(response, Problems.of(HttpStatus.CONTENT_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE,
                "Request body too large", "The request body is larger than " + max + " bytes."));
    }

    private void timedOut(HttpServletResponse response) throws IOException {
        timedOut.increment();
        // The rest of the body is never read: the connection goes with the answer.
        response.setHeader("Connection", "close");
        Problems.write(response, Problems.of(HttpStatus.REQUEST_TIMEOUT, ProblemTypes.REQUEST_TIMEOUT,
                "Request body too slow", "The request body did not arrive within " + deadlineMillis
                        + " ms; nothing was stored."));
    }

    /**
     * Collects the body as the container says bytes are there; the first of "all read", "too
     * large", "deadline passed" and "connection failed" decides, once.
     */
    private final class BodyReader implements ReadListener, AsyncListener {

        private final AsyncContext async;
        private final ServletInputStream in;
        private final ByteArrayOutputStream body;
        private final AtomicBoolean decided = new AtomicBoolean();
        private final byte[] chunk = new byte[8192];

        BodyReader(AsyncContext async, ServletInputStream in, ByteArrayOutputStream body) {
            this.async = async;
            this.in = in;
            this.body = body;
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!decided.get() && in.isReady()) {
                int n = in.read(chunk);
                if (n < 0) {
                    return;
                }
                body.write(chunk, 0, n);
                if (body.size() > max && decided.compareAndSet(false, true)) {
                    HttpServletResponse response = (HttpServletResponse) async.getResponse();
                    response.setHeader("Connection", "close");
                    tooLarge(response);
                    async.complete();
                    return;
                }
            }
        }

        @Override
        public void onAllDataRead() {
            if (decided.compareAndSet(false, true)) {
                async.getRequest().setAttribute(BODY, body.toByteArray());
                async.dispatch();
            }
        }

        @Override
        public void onError(Throwable failure) {
            // The client went away (or the connection broke) while sending: nobody to answer.
            if (decided.compareAndSet(false, true)) {
                async.complete();
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            if (decided.compareAndSet(false, true)) {
                timedOut((HttpServletResponse) async.getResponse());
                async.complete();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
            onError(event.getThrowable());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }

    /** The request with its body already read: downstream reads it from memory, at once. */
    private static final class Buffered extends HttpServletRequestWrapper {

        private final byte[] body;

        Buffered(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body has been read already");
                }
            };
        }
    }
}
