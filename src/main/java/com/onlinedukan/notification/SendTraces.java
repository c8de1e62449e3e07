package com.onlinedukan.notification;

import java.util.List;

import com.onlinedukan.notification.DeliveryLedger.Claim;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * A Telegram send as a span in the trace of the order it carries: a child of the span that wrote
 * the order's event (its POST's server span), read from the ledger, so one trace runs from the
 * customer's request to the staff's message, retries and replays included. A digest's span is a
 * child of its first order's trace and links the others'.
 */
@Component
class SendTraces {

    private final Tracer tracer;

    SendTraces(ObjectProvider<Tracer> tracer) {
        this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
    }

    /** Starts the span of one send carrying these notifications; a root span if none was traced. */
    Span start(List<Claim> claims) {
        Span.Builder span = tracer.spanBuilder().name("telegram send").kind(Span.Kind.CLIENT)
                .remoteServiceName("telegram")
                .tag("dukan.notifications", claims.size());
        boolean parented = false;
        for (Claim claim : claims) {
            if (claim.trace() == null) {
                continue;
            }
            if (parented) {
                span.addLink(new Link(claim.trace().context(tracer)));
            }
            else {
                span.setParent(claim.trace().context(tracer));
                parented = true;
            }
        }
        if (claims.size() == 1) {
            span.tag("dukan.event.id", claims.get(0).eventId().toString())
                    .tag("dukan.order.id", claims.get(0).orderId().toString());
        }
        if (!parented) {
            span.setNoParent();
        }
        return span.start();
    }

    /** Makes the span current, so log lines written meanwhile carry its {@code traceId} and {@code spanId}. */
    Tracer.SpanInScope enter(Span span) {
        return tracer.withSpan(span);
    }
}
