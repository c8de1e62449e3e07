package com.onlinedukan.outbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The outbox's trace column in Debezium's convention, written and read back. */
class EventTraceTests {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";

    @Test
    void aSpansIdsAreWrittenAsAW3cTraceparentInPropertiesForm() {
        String text = EventTrace.text(TRACE_ID, SPAN_ID, true);

        assertThat(text).isEqualTo("traceparent=00-" + TRACE_ID + "-" + SPAN_ID + "-01");
        EventTrace trace = EventTrace.parse(text).orElseThrow();
        assertThat(trace.traceId()).isEqualTo(TRACE_ID);
        assertThat(trace.spanId()).isEqualTo(SPAN_ID);
        assertThat(trace.sampled()).isTrue();
        assertThat(trace.tracestate()).isNull();
        assertThat(EventTrace.parse(EventTrace.text(TRACE_ID, SPAN_ID, false)).orElseThrow().sampled()).isFalse();
    }

    @Test
    void aSixtyFourBitTraceIdIsWidenedAsW3cSays() {
        EventTrace trace = EventTrace.parse(EventTrace.text("a3ce929d0e0e4736", SPAN_ID, true)).orElseThrow();

        assertThat(trace.traceId()).isEqualTo("0000000000000000a3ce929d0e0e4736");
    }

    @Test
    void aTracestateWrittenByAnotherWriterIsReadAndWrittenBack() {
        String text = "traceparent=00-" + TRACE_ID + "-" + SPAN_ID + "-01\ntracestate=congo=t61rcWkgMzE,rojo=00f0\\\\67";

        EventTrace trace = EventTrace.parse(text).orElseThrow();

        assertThat(trace.tracestate()).isEqualTo("congo=t61rcWkgMzE,rojo=00f0\\67");
        assertThat(EventTrace.parse(trace.text())).contains(trace);
    }

    @Test
    void noTraceOrABrokenOneReadsAsNone() {
        assertThat(EventTrace.parse(null)).isEmpty();
        assertThat(EventTrace.parse("")).isEmpty();
        assertThat(EventTrace.parse("tracestate=x=y")).isEmpty();
        assertThat(EventTrace.parse("traceparent=00-" + TRACE_ID + "-" + SPAN_ID)).isEmpty();
        assertThat(EventTrace.parse("traceparent=00-" + "0".repeat(32) + "-" + SPAN_ID + "-01")).isEmpty();
        assertThat(EventTrace.parse("traceparent=00-" + TRACE_ID.toUpperCase() + "-" + SPAN_ID + "-01")).isEmpty();
        assertThatIllegalArgumentException().isThrownBy(() -> new EventTrace("not-a-traceparent", null));
    }
}
