package com.onlinedukan.outbox;

import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;
import java.util.Properties;

import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;

/**
 * The trace an event was written in: the W3C {@code traceparent} of the span that appended it, and
 * a {@code tracestate} if the writer had one. The outbox keeps it in the column
 * {@code tracingspancontext} as {@link Properties} text, Debezium's outbox convention
 * ({@code traceparent=00-<trace id>-<span id>-<flags>}), so whatever reads the event downstream
 * can continue the trace of the request that caused it.
 *
 * @param traceparent {@code <version>-<32 hex trace id>-<16 hex parent span id>-<flags>}
 * @param tracestate vendor data of the trace, or null
 */
public record EventTrace(String traceparent, String tracestate) {

    /** The column's name, as Debezium's outbox event router and its tracing SMT call it. */
    public static final String COLUMN = "tracingspancontext";
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    /** {@code [0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}}: the dashes' places in its 55 characters. */
    private static final int LENGTH = 55;
    private static final int[] DASHES = {2, 35, 52};
    private static final String INVALID_TRACE_ID = "0".repeat(32);

    public EventTrace {
        if (!valid(traceparent)) {
            throw new IllegalArgumentException("not a W3C traceparent: " + traceparent);
        }
        tracestate = tracestate == null || tracestate.isBlank() ? null : tracestate;
    }

    /**
     * The column's text for a span, from its ids (a 64-bit trace id is widened, as W3C says).
     * Written on every order's path, so it is only concatenated, not validated again.
     */
    static String text(String traceId, String spanId, boolean sampled) {
        String wide = traceId.length() < 32 ? "0".repeat(32 - traceId.length()) + traceId : traceId;
        return TRACEPARENT + "=00-" + wide + "-" + spanId + (sampled ? "-01" : "-00");
    }

    /**
     * Reads the column's text back; empty when there is none or it holds no valid {@code traceparent}
     * (an event written outside a trace, or by another writer).
     */
    public static Optional<EventTrace> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        if (text.startsWith(TRACEPARENT + "=") && text.indexOf('\n') < 0 && text.indexOf('\\') < 0
                && text.indexOf('\r') < 0) {
            // What this service writes (one traceparent line), read on every relayed event without Properties.
            String traceparent = text.substring(TRACEPARENT.length() + 1).strip();
            return valid(traceparent) ? Optional.of(new EventTrace(traceparent, null)) : Optional.empty();
        }
        Properties headers = new Properties();
        try {
            headers.load(new StringReader(text));
            return Optional.of(new EventTrace(headers.getProperty(TRACEPARENT), headers.getProperty(TRACESTATE)));
        }
        catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * W3C's form with a trace id that is not all zeros. Checked character by character: it runs for
     * every event at each hop, and a regular expression was 1 % of the service's CPU under load.
     */
    static boolean valid(String traceparent) {
        if (traceparent == null || traceparent.length() != LENGTH) {
            return false;
        }
        int dash = 0;
        for (int i = 0; i < LENGTH; i++) {
            char c = traceparent.charAt(i);
            if (dash < DASHES.length && i == DASHES[dash]) {
                if (c != '-') {
                    return false;
                }
                dash++;
            }
            else if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return !traceparent.regionMatches(3, INVALID_TRACE_ID, 0, 32);
    }

    /** The column's text. */
    public String text() {
        // A traceparent is hex and dashes; in a tracestate only a backslash means something to Properties.
        return tracestate == null ? TRACEPARENT + "=" + traceparent
                : TRACEPARENT + "=" + traceparent + "\n" + TRACESTATE + "=" + tracestate.replace("\\", "\\\\");
    }

    /** The 32 hex digits that name the trace in every tracing backend and log line. */
    public String traceId() {
        return traceparent.substring(3, 35);
    }

    /** The span that wrote the event: the parent of what continues the trace. */
    public String spanId() {
        return traceparent.substring(36, 52);
    }

    /** The span that wrote the event, as the parent (or link) of a span that continues its trace. */
    public TraceContext context(Tracer tracer) {
        return tracer.traceContextBuilder().traceId(traceId()).spanId(spanId()).sampled(sampled()).build();
    }

    public boolean sampled() {
        return (Character.digit(traceparent.charAt(54), 16) & 1) == 1;
    }
}
