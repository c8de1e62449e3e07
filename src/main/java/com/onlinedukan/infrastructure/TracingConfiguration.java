package com.onlinedukan.infrastructure;

import io.lettuce.core.tracing.MicrometerTracing;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SdkTracerProviderBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tracing beyond Boot's defaults: the sampler Boot configured
 * ({@code management.tracing.sampling.probability}) keeps deciding, but Redis polling outside any
 * trace starts no trace of its own ({@link RequestTraceSampler}), and is not even observed
 * ({@link RedisTracingInsideTraces}); and while no span exporter is configured, no span is recorded.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

    /**
     * Redis commands are observed inside a trace only ({@link RedisTracingInsideTraces}); this takes
     * the place of Boot's LettuceObservationAutoConfiguration, which the application excludes.
     */
    @Bean
    ClientResourcesBuilderCustomizer redisTracingInsideTraces(ObjectProvider<ObservationRegistry> registry) {
        return builder -> registry.ifAvailable(observations -> builder.tracing(
                new RedisTracingInsideTraces(new MicrometerTracing(observations, "Redis"), observations)));
    }

    /** Wraps Boot's sampler; with no span exporter (no OTLP endpoint), spans are not recorded at all. */
    @Bean
    SdkTracerProviderBuilderCustomizer requestTraceSampler(ObjectProvider<Sampler> sampler,
            ObjectProvider<SpanExporter> exporters) {
        return builder -> sampler.ifAvailable(boots -> builder.setSampler(
                new RequestTraceSampler(boots, exporters.stream().findAny().isPresent())));
    }
}
