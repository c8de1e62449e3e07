package com.onlinedukan.notification;

import com.onlinedukan.notification.DeliveryLedger.Claim;
import org.slf4j.MDC;

/**
 * Names one notification in the log's context while a line about it is written: {@code eventId},
 * {@code orderId} and the {@code traceId} of the order's POST, which structured logs show as
 * fields. Puts back what was there before, so it nests inside a send's span scope (whose
 * {@code traceId} is the first order's when a digest carries several).
 */
final class EventLogContext implements AutoCloseable {

    static final String EVENT_ID = "eventId";
    static final String ORDER_ID = "orderId";
    static final String TRACE_ID = "traceId";

    private final String eventId;
    private final String orderId;
    private final String traceId;

    private EventLogContext(Claim claim) {
        this.eventId = swap(EVENT_ID, claim.eventId().toString());
        this.orderId = swap(ORDER_ID, claim.orderId().toString());
        this.traceId = claim.trace() == null ? MDC.get(TRACE_ID) : swap(TRACE_ID, claim.trace().traceId());
    }

    static EventLogContext of(Claim claim) {
        return new EventLogContext(claim);
    }

    private static String swap(String key, String value) {
        String previous = MDC.get(key);
        MDC.put(key, value);
        return previous;
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            MDC.remove(key);
        }
        else {
            MDC.put(key, previous);
        }
    }

    @Override
    public void close() {
        restore(EVENT_ID, eventId);
        restore(ORDER_ID, orderId);
        restore(TRACE_ID, traceId);
    }
}
