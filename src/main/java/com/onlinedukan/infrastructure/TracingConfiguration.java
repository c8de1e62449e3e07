package com.onlinedukan.infrastructure;

import io.opentelemetry.sdk.trace.samplers.Sampler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SdkTracerProviderBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tracing beyond Boot's defaults: the sampler Boot configured
 * ({@code management.tracing.sampling.probability}) keeps deciding, but Redis polling outside any
 * trace starts no trace of its own ({@link RequestTraceSampler}).
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

    @Bean
    SdkTracerProviderBuilderCustomizer requestTraceSampler(ObjectProvider<Sampler> sampler) {
        return builder -> sampler.ifAvailable(boots -> builder.setSampler(new RequestTraceSampler(boots)));
    }
}
