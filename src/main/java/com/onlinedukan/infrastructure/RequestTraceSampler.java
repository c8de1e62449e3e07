package com.onlinedukan.infrastructure;

import java.util.List;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

/**
 * Boot's sampler, except that a client call outside any trace starts none. The service polls Redis
 * all the time (stream reads, budgets, trimming, leadership): as traces of their own, those calls
 * would outnumber the orders' traces many times over. Inside a trace (an order's POST, a Telegram
 * send) they are recorded as usual.
 */
final class RequestTraceSampler implements Sampler {

    private final Sampler delegate;

    RequestTraceSampler(Sampler delegate) {
        this.delegate = delegate;
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
            Attributes attributes, List<LinkData> parentLinks) {
        if (spanKind == SpanKind.CLIENT && !Span.fromContext(parentContext).getSpanContext().isValid()) {
            return SamplingResult.drop();
        }
        return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    @Override
    public String getDescription() {
        return "RequestTraceSampler{" + delegate.getDescription() + "}";
    }
}
