package com.onlinedukan.ops;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The shipped alert rules are valid Prometheus rules and behave as their unit tests in
 * {@code ops/prometheus/alerts.test.yml} say (dead letters hold the alert, one job's state never
 * hides another's), checked by Prometheus' own {@code promtool}. Without promtool (Debian's
 * {@code prometheus} package) the test is skipped on a developer's machine; CI must have it.
 */
class AlertRulesTests {

    static final String PROMTOOL = "/usr/bin/promtool";

    @Test
    void theAlertRulesAreValidAndPassTheirRuleTests() throws Exception {
        boolean ready = new File(PROMTOOL).canExecute();
        if (System.getenv("CI") == null) {
            assumeThat(ready).as("promtool (apt-get install prometheus; see .ci/run)").isTrue();
        }
        assertThat(ready).as("CI must provide promtool (.ci/run)").isTrue();

        assertThat(promtool("check", "rules", "ops/prometheus/alerts.yml")).contains("SUCCESS");
        assertThat(promtool("test", "rules", "ops/prometheus/alerts.test.yml")).contains("SUCCESS");
    }

    static String promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(PROMTOOL));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool answers within a minute").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", args), output).isZero();
        return output;
    }
}
