package com.onlinedukan.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark's report never shows a ratio at its target when the ratio misses it. */
class ReportTests {

    @Test
    void aRatioHeldAgainstATargetIsCutNotRounded() {
        assertThat(Report.cut(0.6995)).as("a first-20-s share just under 0.70").isEqualTo("0.69");
        assertThat(Report.cut(0.70)).isEqualTo("0.70");
        assertThat(Report.cut(0.7049)).isEqualTo("0.70");
        assertThat(Report.cut(0.4999)).as("a median ratio just under 0.50").isEqualTo("0.49");
        assertThat(Report.cut(1.0)).isEqualTo("1.00");
    }
}
