package com.onlinedukan.infrastructure;

import java.net.SocketAddress;

import io.lettuce.core.tracing.TraceContext;
import io.lettuce.core.tracing.TraceContextProvider;
import io.lettuce.core.tracing.Tracer;
import io.lettuce.core.tracing.TracerProvider;
import io.lettuce.core.tracing.Tracing;
import io.micrometer.observation.ObservationRegistry;

/**
 * Lettuce's tracing, for the Redis commands issued inside a trace only. A command issued with no
 * observation current (the stream reads, the budgets, trimming and leadership, which poll all the
 * time) gets no observation at all, where Micrometer's tracing would make one per command, compute
 * its tags and stop it, only for {@link RequestTraceSampler} to drop the root span it started. With
 * that work on every command, it took a third of the Redis client's thread under load. Inside a
 * trace, commands are observed exactly as before.
 */
final class RedisTracingInsideTraces implements Tracing {

    /** What a command issued outside any observation carries. */
    private static final TraceContext OUTSIDE = new TraceContext() {
    };

    private final Tracing delegate;
    private final TraceContextProvider contexts;
    private final TracerProvider tracers;

    RedisTracingInsideTraces(Tracing delegate, ObservationRegistry registry) {
        this.delegate = delegate;
        TraceContextProvider inner = delegate.initialTraceContextProvider();
        this.contexts = () -> registry.getCurrentObservation() == null ? OUTSIDE : inner.getTraceContext();
        Tracer untraced = Tracing.disabled().getTracerProvider().getTracer();
        Tracer traced = delegate.getTracerProvider().getTracer();
        Tracer tracer = new Tracer() {

            @Override
            public Span nextSpan() {
                return untraced.nextSpan();
            }

            @Override
            public Span nextSpan(TraceContext context) {
                return context == null || context == OUTSIDE ? untraced.nextSpan() : traced.nextSpan(context);
            }
        };
        this.tracers = () -> tracer;
    }

    @Override
    public TracerProvider getTracerProvider() {
        return tracers;
    }

    @Override
    public TraceContextProvider initialTraceContextProvider() {
        return contexts;
    }

    @Override
    public boolean isEnabled() {
        return delegate.isEnabled();
    }

    @Override
    public boolean includeCommandArgsInSpanTags() {
        return delegate.includeCommandArgsInSpanTags();
    }

    @Override
    public Endpoint createEndpoint(SocketAddress socketAddress) {
        return delegate.createEndpoint(socketAddress);
    }
}
