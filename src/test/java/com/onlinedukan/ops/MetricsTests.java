package com.onlinedukan.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Orders;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The contract's metrics carry real values, and the shipped alerts and dashboard use only metrics that exist. */
@DukanTest
class MetricsTests {

    /** Our metrics and Spring Boot's HTTP server metrics, as alerts.yml and the dashboard name them. */
    static final Pattern METRIC = Pattern.compile("\\b(?:dukan|http_server)_[a-z0-9_]+");

    @LocalServerPort
    int port;

    @Autowired
    FakeBotApi telegram;

    @Test
    void contractMetricsHaveRealValuesAfterSomeOrders() {
        Orders orders = new Orders(port);
        for (int i = 0; i < 3; i++) {
            String id = orders.place(Orders.order("Metered " + UUID.randomUUID(), null, "A")).id();
            await().atMost(Duration.ofSeconds(20)).until(() -> !telegram.acceptedMentioning(id).isEmpty());
        }

        String scrape = scrape();
        assertThat(value(scrape, "dukan_outbox_events_written_total")).isGreaterThanOrEqualTo(3);
        assertThat(value(scrape, "dukan_relay_events_published_total")).isGreaterThanOrEqualTo(3);
        assertThat(value(scrape, "dukan_notifications_delivered_total")).isGreaterThanOrEqualTo(3);
        assertThat(value(scrape, "dukan_notifications_attempts_total{outcome=\"delivered\"")).isGreaterThanOrEqualTo(1);
        assertThat(value(scrape, "dukan_notifications_dead_total")).isGreaterThanOrEqualTo(0);
        assertThat(value(scrape, "dukan_relay_lag_seconds")).isGreaterThanOrEqualTo(0);
        assertThat(value(scrape, "dukan_notification_delivery_seconds_count")).isGreaterThanOrEqualTo(3);
        assertThat(scrape).contains("dukan_notification_delivery_seconds_bucket{le=\"0.1\"")
                .contains("dukan_notification_delivery_seconds_bucket{le=\"300.0\"");
        assertThat(value(scrape, "dukan_relay_leader")).isEqualTo(1);
        // Observed requests are timed, and no long-task timer is started for each (a cost nobody reads).
        assertThat(scrape).contains("http_server_requests_seconds_count").doesNotContain("http_server_requests_active");
        await().atMost(Duration.ofSeconds(10)).until(() -> value(scrape(), "dukan_relay_retained_wal_bytes") >= 0);
    }

    @Test
    void alertRulesAndDashboardUseOnlyExportedMetrics() throws IOException {
        Orders orders = new Orders(port);
        String id = orders.place(Orders.order("Scraped " + UUID.randomUUID(), null, "A")).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> !telegram.acceptedMentioning(id).isEmpty());
        Set<String> exported = seriesNames(scrape());

        for (Path file : new Path[] { Path.of("ops/prometheus/alerts.yml"), Path.of("ops/grafana/onlinedukan-dashboard.json") }) {
            Set<String> used = names(Files.readString(file));
            assertThat(used).as(file.toString()).isNotEmpty();
            // Exactly as scraped: a histogram's _bucket, a counter's _total, a timer's _max are names of their own.
            assertThat(exported).as(file + " uses only exported series").containsAll(used);
        }
        assertThat(names(Files.readString(Path.of("ops/grafana/onlinedukan-dashboard.json"))))
                .contains("http_server_requests_seconds_count", "dukan_notifications_dead_current", "dukan_stream_length",
                        "dukan_stream_pending");
        assertThat(names(Files.readString(Path.of("ops/prometheus/alerts.yml")))).contains("dukan_notifications_dead_current");
    }

    /** The name of every sample line in a scrape. */
    private static Set<String> seriesNames(String scrape) {
        Set<String> names = new TreeSet<>();
        scrape.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    private static Set<String> names(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    private String scrape() {
        var response = new Orders(port).send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus")));
        assertThat(response.status()).isEqualTo(200);
        return response.raw().body();
    }

    private static double value(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .max().orElseThrow(() -> new AssertionError(series + " is not exported"));
    }
}
