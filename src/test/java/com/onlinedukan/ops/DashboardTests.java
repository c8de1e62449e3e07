package com.onlinedukan.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard imports and reads as SREs expect: one Prometheus chosen on import, one job
 * (environment) at a time, every query scoped to it, stats coloured by thresholds that mean
 * something, and a panel for each stage an SRE is paged about.
 */
class DashboardTests {

    static final Path DASHBOARD = Path.of("ops/grafana/onlinedukan-dashboard.json");
    static final Pattern METRIC_SELECTOR = Pattern.compile("\\b((?:dukan|http_server)_[a-z0-9_]+)(\\{[^}]*\\})?");
    static final long GIB = 1L << 30;

    final JsonNode dashboard = JsonMapper.builder().build().readTree(read(DASHBOARD));

    @Test
    void everyPanelAndQueryUsesTheChosenPrometheus() {
        assertThat(panels()).isNotEmpty();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels()) {
            String title = panel.get("title").asString();
            assertThat(ids.add(panel.get("id").asInt())).as("%s has a unique id", title).isTrue();
            assertThat(panel.has("gridPos")).as("%s has a place", title).isTrue();
            assertThat(panel.path("datasource").path("uid").asString()).as("%s's datasource", title).isEqualTo("${datasource}");
            assertThat(panel.get("targets")).as("%s's queries", title).isNotEmpty();
            for (JsonNode target : panel.get("targets")) {
                assertThat(target.path("datasource").path("uid").asString()).as("%s's query datasource", title)
                        .isEqualTo("${datasource}");
            }
        }
    }

    @Test
    void jobAndInstanceAreTemplateVariablesAndEveryQueryIsScopedToThem() {
        JsonNode variables = dashboard.path("templating").path("list");
        assertThat(variable(variables, "datasource").path("query").asString()).isEqualTo("prometheus");
        assertThat(variable(variables, "job").path("type").asString()).isEqualTo("query");
        assertThat(variable(variables, "instance").path("type").asString()).isEqualTo("query");
        assertThat(variable(variables, "instance").path("definition").asString()).contains("job=\"$job\"");

        for (String expr : expressions()) {
            Matcher selector = METRIC_SELECTOR.matcher(expr);
            assertThat(selector.find()).as("a metric in %s", expr).isTrue();
            do {
                String labels = selector.group(2) == null ? "" : selector.group(2);
                assertThat(labels).as("%s in %s", selector.group(1), expr)
                        .contains("job=\"$job\"").contains("instance=~\"$instance\"");
            }
            while (selector.find());
        }
    }

    @Test
    void statPanelsHaveThresholdsThatMeanSomething() {
        List<JsonNode> stats = panels().stream().filter(p -> "stat".equals(p.get("type").asString())).toList();
        assertThat(stats).isNotEmpty();
        for (JsonNode stat : stats) {
            String title = stat.get("title").asString();
            JsonNode thresholds = stat.path("fieldConfig").path("defaults").path("thresholds");
            assertThat(thresholds.path("mode").asString()).as(title).isEqualTo("absolute");
            JsonNode steps = thresholds.path("steps");
            assertThat(steps.size()).as("%s has a base and at least one threshold", title).isGreaterThanOrEqualTo(2);
            assertThat(steps.get(0).path("value").isNull()).as("%s's first step is the base", title).isTrue();
            // Grafana's default (green, then red at 80) would paint a byte count or an age red all the time.
            assertThat(!(steps.size() == 2 && steps.get(1).path("value").asDouble() == 80)).as("%s keeps Grafana's default", title)
                    .isTrue();
        }
        JsonNode wal = panel("Retained WAL (slot)");
        assertThat(wal.path("fieldConfig").path("defaults").path("unit").asString()).isEqualTo("bytes");
        JsonNode steps = wal.path("fieldConfig").path("defaults").path("thresholds").path("steps");
        assertThat(steps.get(0).path("color").asString()).isEqualTo("green");
        // Warns where the health check (dukan.relay.retained-wal-warning) and the alert do: 1 GiB.
        assertThat(steps.get(1).path("value").asLong()).isEqualTo(GIB);
        assertThat(read(Path.of("ops/prometheus/alerts.yml"))).contains("max by (job) (dukan_relay_retained_wal_bytes) > " + GIB);
    }

    @Test
    void thereIsAPanelForEachStageAnSreIsPagedAbout() {
        assertThat(panelUsing("dukan_stream_length").path("type").asString()).isEqualTo("timeseries");
        assertThat(panelUsing("dukan_stream_pending").path("type").asString()).isEqualTo("timeseries");
        assertThat(panelUsing("http_server_requests_seconds_count").path("type").asString()).isEqualTo("timeseries");
        assertThat(panels()).anySatisfy(p -> {
            assertThat(p.get("type").asString()).isEqualTo("stat");
            assertThat(p.get("targets").get(0).get("expr").asString()).contains("dukan_notifications_dead_current");
        });
        for (String metric : List.of("dukan_relay_leader", "dukan_relay_lag_seconds", "dukan_relay_retained_wal_bytes",
                "dukan_outbox_oldest_undelivered_age_seconds", "dukan_notifications_attempts_total",
                "dukan_notification_delivery_seconds_bucket", "dukan_delivery_paused", "dukan_telegram_circuit_state")) {
            assertThat(panelUsing(metric)).as(metric).isNotNull();
        }
    }

    private List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(panels::add);
        return panels;
    }

    private List<String> expressions() {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : panels()) {
            panel.get("targets").forEach(t -> expressions.add(t.get("expr").asString()));
        }
        return expressions;
    }

    private JsonNode panel(String title) {
        return panels().stream().filter(p -> title.equals(p.get("title").asString())).findFirst()
                .orElseThrow(() -> new AssertionError("no panel " + title));
    }

    private JsonNode panelUsing(String metric) {
        Pattern name = Pattern.compile("\\b" + metric + "\\b");
        return panels().stream()
                .filter(p -> p.get("targets").valueStream().anyMatch(t -> name.matcher(t.get("expr").asString()).find()))
                .findFirst().orElseThrow(() -> new AssertionError("no panel shows " + metric));
    }

    private static JsonNode variable(JsonNode variables, String name) {
        return variables.valueStream().filter(v -> name.equals(v.path("name").asString())).findFirst()
                .orElseThrow(() -> new AssertionError("no template variable " + name));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
