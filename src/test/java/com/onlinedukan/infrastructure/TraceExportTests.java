package com.onlinedukan.infrastructure;

import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tracing set-up as the service ships it: nothing leaves the process without an OTLP endpoint,
 * spans reach one (over the JDK's HTTP client) once it is set, and Boot's sampler is wrapped.
 */
class TraceExportTests {

    private final ApplicationContextRunner service = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
                    MicrometerTracingAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class,
                    OtlpTracingAutoConfiguration.class))
            .withUserConfiguration(TracingConfiguration.class)
            .withPropertyValues("management.tracing.sampling.probability=1.0");

    @Test
    void withoutAnEndpointNoSpanLeavesTheProcess() {
        service.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(OtlpHttpSpanExporter.class);
            assertThat(context.getBeansOfType(SpanExporter.class)).isEmpty();
            assertThat(context.getBean(SdkTracerProvider.class).getSampler().getDescription())
                    .startsWith("RequestTraceSampler{");
        });
    }

    /**
     * Nothing is recorded for an exporter that does not exist, yet the trace context is whole: the
     * span has a valid trace and span id, and its child continues the trace, so the outbox row, the
     * stream entry, the ledger and the logs still name the order's trace.
     */
    @Test
    void withoutAnEndpointSpansAreNotRecordedButTheTraceContextTravels() {
        service.run(context -> {
            Tracer tracer = context.getBean(Tracer.class);
            Span order = tracer.spanBuilder("an order").setSpanKind(SpanKind.SERVER).startSpan();
            Span send;
            try (Scope scope = order.makeCurrent()) {
                send = tracer.spanBuilder("telegram send").setSpanKind(SpanKind.CLIENT).startSpan();
            }
            assertThat(order.isRecording()).isFalse();
            assertThat(send.isRecording()).isFalse();
            assertThat(order.getSpanContext().isValid()).isTrue();
            assertThat(send.getSpanContext().getTraceId()).isEqualTo(order.getSpanContext().getTraceId());
            assertThat(send.getSpanContext().getSpanId()).isNotEqualTo(order.getSpanContext().getSpanId());
            send.end();
            order.end();
        });
    }

    @Test
    void withAnExporterEveryOrdersSpanIsRecorded() {
        service.withBean(InMemorySpanExporter.class, InMemorySpanExporter::create).run(context -> {
            Span order = context.getBean(Tracer.class).spanBuilder("an order").setSpanKind(SpanKind.SERVER).startSpan();
            assertThat(order.isRecording()).isTrue();
            order.end();
            context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
            assertThat(context.getBean(InMemorySpanExporter.class).getFinishedSpanItems())
                    .extracting(span -> span.getName()).containsExactly("an order");
        });
    }

    @Test
    void withAnEndpointSpansAreSentThere() throws Exception {
        try (MockWebServer collector = new MockWebServer()) {
            collector.enqueue(new MockResponse().setResponseCode(200));
            collector.start();
            service.withPropertyValues("management.opentelemetry.tracing.export.otlp.endpoint="
                    + collector.url("/v1/traces")).run(context -> {
                        assertThat(context).hasNotFailed();
                        context.getBean(Tracer.class).spanBuilder("an order").startSpan().end();
                        context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);

                        RecordedRequest export = collector.takeRequest(10, TimeUnit.SECONDS);
                        assertThat(export).isNotNull();
                        assertThat(export.getPath()).isEqualTo("/v1/traces");
                        assertThat(export.getHeader("Content-Type")).isEqualTo("application/x-protobuf");
                        assertThat(export.getBody().readUtf8()).contains("an order");
                    });
        }
    }
}
