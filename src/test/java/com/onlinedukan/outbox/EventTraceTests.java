package com.onlinedukan.outbox;

import java.util.Random;
import java.util.regex.Pattern;

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

    /**
     * The check is written out by hand for speed; it accepts exactly what W3C's pattern accepts (and
     * a trace id that is not all zeros), for valid traceparents with one or two characters changed
     * to anything, cut short or run long.
     */
    @Test
    void aTraceparentIsValidExactlyWhenW3csPatternSaysSo() {
        Pattern w3c = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
        String alphabet = "0123456789abcdefABCDEFgz-_ \u00e9\n";
        Random random = new Random(42);
        int valid = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder candidate = new StringBuilder("00-" + (random.nextInt(20) == 0 ? "0".repeat(32) : TRACE_ID)
                    + "-" + SPAN_ID + "-01");
            for (int change = random.nextInt(3); change > 0; change--) {
                candidate.setCharAt(random.nextInt(candidate.length()), alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (random.nextInt(10) == 0) {
                candidate.setLength(random.nextInt(candidate.length()));
            }
            else if (random.nextInt(10) == 0) {
                candidate.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = candidate.toString();
            boolean expected = w3c.matcher(text).matches() && !text.startsWith("0".repeat(32), 3);
            assertThat(EventTrace.valid(text)).as(text).isEqualTo(expected);
            valid += expected ? 1 : 0;
        }
        assertThat(valid).as("valid and invalid cases both drawn").isBetween(2_000, 18_000);
    }
}
