package com.onlinedukan;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.OpsClient;
import com.onlinedukan.support.Orders;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.logging.LoggingSystemProperty;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One order, one trace: the customer's POST, the relay's publish and the Telegram send, for a real
 * order through the real pipeline, with the spans read from an in-memory exporter; and the log
 * lines about its notification, as JSON, name its event, order and trace.
 */
@DukanTest
@AutoConfigureTracing
@TestPropertySource(properties = { "logging.structured.format.console=ecs",
        "management.opentelemetry.tracing.export.schedule-delay=100ms" })
@Import(TracingTests.Exporter.class)
@ExtendWith(OutputCaptureExtension.class)
// It resets the JVM's one logging system and reads what every context logs: this class runs alone.
@Isolated
class TracingTests {

    private static final JsonMapper json = JsonMapper.builder().build();

    @TestConfiguration(proxyBeanMethods = false)
    static class Exporter {

        @Bean
        InMemorySpanExporter inMemorySpanExporter() {
            return InMemorySpanExporter.create();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    FakeBotApi telegram;

    @Autowired
    InMemorySpanExporter spans;

    Orders orders;
    OpsClient ops;

    /**
     * Logback keeps the set-up of the first context that configured it while any context lives, and
     * Boot leaves the format behind in a system property: this class's context starts on a fresh
     * logging system, so its ECS format applies, and leaves a fresh one to the next context.
     */
    @BeforeAll
    static void freshLoggingSystem() {
        System.clearProperty(LoggingSystemProperty.CONSOLE_STRUCTURED_FORMAT.getEnvironmentVariableName());
        LoggingSystem.get(TracingTests.class.getClassLoader()).cleanUp();
    }

    @AfterAll
    static void freshLoggingSystemForTheNext() {
        freshLoggingSystem();
    }

    @BeforeEach
    void setUp() {
        orders = new Orders(port);
        ops = new OpsClient(port);
    }

    @AfterEach
    void releaseTelegram() {
        telegram.release();
    }

    @Test
    void thePostAndTheTelegramSendAreOneTrace() {
        String orderId = placed("Traced Customer");

        SpanData send = await().atMost(Duration.ofSeconds(20)).until(() -> sendSpanOf(orderId), Optional::isPresent)
                .orElseThrow();
        String traceId = send.getTraceId();
        SpanData post = await().atMost(Duration.ofSeconds(10)).until(() -> serverSpanIn(traceId), Optional::isPresent)
                .orElseThrow();

        assertThat(post.getName()).isEqualTo("http post /api/orders");
        assertThat(send.getParentSpanId()).as("the send is a child of the POST's server span").isEqualTo(post.getSpanId());
        assertThat(send.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(send.getStartEpochNanos()).isGreaterThanOrEqualTo(post.getStartEpochNanos());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(inTrace(traceId))
                .filteredOn(span -> span.getName().equals("outbox publish"))
                .singleElement()
                .satisfies(publish -> assertThat(publish.getParentSpanId()).isEqualTo(post.getSpanId())));

        JsonNode notification = ops.call("GET", "/api/ops/notifications/" + eventOf(orderId), null).body();
        assertThat(notification.get("traceId").asString()).isEqualTo(traceId);
    }

    @Test
    void redisPollingOutsideAnyTraceStartsNoTraces() {
        String orderId = placed("Quiet Customer");
        await().atMost(Duration.ofSeconds(20)).until(() -> sendSpanOf(orderId).isPresent());

        // By now the notifier has read the stream, trimmed it and counted budgets many times over.
        assertThat(spans.getFinishedSpanItems())
                .as("root client spans")
                .noneMatch(span -> span.getKind() == SpanKind.CLIENT && !span.getParentSpanContext().isValid());

        // A request that asks Redis itself (XINFO CONSUMERS): its Redis call is a span of its trace.
        assertThat(ops.call("GET", "/api/ops/consumers", null).status()).isEqualTo(200);
        SpanData request = await().atMost(Duration.ofSeconds(10))
                .until(() -> spans.getFinishedSpanItems().stream()
                        .filter(span -> span.getName().equals("http get /api/ops/consumers")).findFirst(), Optional::isPresent)
                .get();
        assertThat(inTrace(request.getTraceId()))
                .as("Redis calls inside a trace are still recorded, as children of it")
                .anyMatch(span -> span.getKind() == SpanKind.CLIENT && span.getParentSpanId().equals(request.getSpanId())
                        && span.getAttributes().asMap().keySet().stream().anyMatch(key -> key.getKey().startsWith("db.")));
    }

    @Test
    void logLinesAboutANotificationAreJsonWithItsEventOrderAndTrace(CapturedOutput output) {
        String orderId = placed("Logged Customer");
        await().atMost(Duration.ofSeconds(20)).until(() -> !telegram.acceptedMentioning(orderId).isEmpty());
        String eventId = eventOf(orderId);
        String traceId = ops.call("GET", "/api/ops/notifications/" + eventId, null).body().get("traceId").asString();

        JsonNode delivered = await().atMost(Duration.ofSeconds(10))
                .until(() -> jsonLines(output).stream()
                        .filter(line -> eventId.equals(line.path("eventId").asString(null)))
                        .findFirst(), Optional::isPresent)
                .orElseThrow();

        assertThat(delivered.get("message").asString()).contains("delivered");
        assertThat(delivered.get("orderId").asString()).isEqualTo(orderId);
        assertThat(delivered.get("traceId").asString()).isEqualTo(traceId).matches("[0-9a-f]{32}");
        assertThat(delivered.get("spanId").asString()).matches("[0-9a-f]{16}");
        assertThat(delivered.get("log").get("level").asString()).isEqualTo("INFO");
    }

    private String placed(String customer) {
        Orders.Response placed = orders.place(Orders.order(customer, null, "TEA-001"));
        assertThat(placed.status()).isEqualTo(201);
        return placed.id();
    }

    private String eventOf(String orderId) {
        JsonNode listed = ops.call("GET", "/api/ops/notifications?limit=1000", null).body();
        for (JsonNode notification : listed) {
            if (orderId.equals(notification.get("orderId").asString())) {
                return notification.get("eventId").asString();
            }
        }
        throw new AssertionError("no notification of order " + orderId);
    }

    private Optional<SpanData> sendSpanOf(String orderId) {
        return spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals("telegram send"))
                .filter(span -> orderId.equals(span.getAttributes().asMap().entrySet().stream()
                        .filter(e -> e.getKey().getKey().equals("dukan.order.id"))
                        .map(e -> String.valueOf(e.getValue())).findFirst().orElse(null)))
                .findFirst();
    }

    private Optional<SpanData> serverSpanIn(String traceId) {
        return inTrace(traceId).stream().filter(span -> span.getKind() == SpanKind.SERVER).findFirst();
    }

    private List<SpanData> inTrace(String traceId) {
        return spans.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(traceId)).toList();
    }

    private static List<JsonNode> jsonLines(CapturedOutput output) {
        return output.getOut().lines()
                .filter(line -> line.startsWith("{"))
                .map(json::readTree)
                .toList();
    }
}
