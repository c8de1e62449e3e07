package com.onlinedukan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/operations.md documents exactly the metrics the service exports: every meter the code
 * registers is on the page under its Prometheus name, and every {@code dukan_} name on the page is
 * one the service exports (or a series of one: a timer's {@code _bucket}, {@code _count},
 * {@code _sum}, {@code _max}). The meters are read from the sources (each builder names its meter
 * with a string literal; an observation renamed for its timer names it with a constant) and their Prometheus names made by Micrometer's Prometheus registry, so no
 * Spring context starts.
 */
class MetricsDocumentedTests {

    static final Path SOURCES = Path.of("src/main/java");
    static final Path PAGE = Path.of("docs/operations.md");

    static final Pattern BUILDER = Pattern.compile("\\b(Counter|FunctionCounter|Gauge|TimeGauge|Timer|FunctionTimer"
            + "|LongTaskTimer|DistributionSummary)\\.builder\\(\\s*([^,)]*)");
    /** A registry's shortcut, {@code meters.counter("dukan.…", …)}. */
    static final Pattern SHORTCUT = Pattern.compile("\\.(counter|gauge|timer|summary)\\(\\s*\"(dukan\\.[^\"]*)\"");
    /**
     * An observation renamed on its way to the meter handler (an {@code ObservationFilter}), which
     * Micrometer times under that name: {@code context.setName(NAME)} with {@code String NAME = "dukan.…"}.
     */
    static final Pattern RENAMED = Pattern.compile("\\.setName\\(\\s*([A-Z_]+)\\s*\\)");
    static final Pattern LITERAL = Pattern.compile("\"([^\"]+)\"");
    static final Pattern BASE_UNIT = Pattern.compile("\\.baseUnit\\(\\s*([^)]*)\\)");
    static final Pattern DUKAN_NAME = Pattern.compile("(?<![A-Za-z0-9_])dukan_[a-z0-9_]+");
    /** The series of a timer or distribution summary besides its name (buckets: the SLOs in application.yml). */
    static final List<String> HISTOGRAM_SERIES = List.of("_bucket", "_count", "_sum", "_max");
    static final Set<String> HISTOGRAMS = Set.of("Timer", "FunctionTimer", "LongTaskTimer", "DistributionSummary");

    /** The contract's metrics (CONTRACT.md): if the scan misses them, it is the scan that is broken. */
    static final Set<String> CONTRACT = Set.of("dukan_outbox_events_written_total", "dukan_relay_events_published_total",
            "dukan_relay_lag_seconds", "dukan_notifications_delivered_total", "dukan_notifications_attempts_total",
            "dukan_notifications_dead_total", "dukan_notification_delivery_seconds");

    /** A meter as the code registers it: its builder's type, name and base unit (null: none), and where. */
    record Meter(String type, String name, String baseUnit, String where) {
    }

    @Test
    void everyMetricTheServiceExportsIsOnTheOperationsPage() {
        Set<String> onThePage = namesOnThePage();
        Map<String, String> missing = new TreeMap<>();
        for (Map.Entry<String, Meter> exported : exported().entrySet()) {
            if (!onThePage.contains(exported.getKey())) {
                missing.put(exported.getKey(), exported.getValue().where());
            }
        }
        assertThat(missing).as("metrics the service exports (registered at) that docs/operations.md does not name")
                .isEmpty();
    }

    @Test
    void everyMetricOnTheOperationsPageIsOneTheServiceExports() {
        Set<String> series = new TreeSet<>();
        exported().forEach((name, meter) -> {
            series.add(name);
            if (HISTOGRAMS.contains(meter.type())) {
                HISTOGRAM_SERIES.forEach(suffix -> series.add(name + suffix));
            }
        });
        Set<String> unknown = new TreeSet<>(namesOnThePage());
        unknown.removeAll(series);
        assertThat(unknown).as("dukan_ names in docs/operations.md that the service does not export").isEmpty();
    }

    /** Each registered meter by its Prometheus name (the name a scrape shows, before a histogram's suffixes). */
    static Map<String, Meter> exported() {
        Map<String, Meter> exported = new TreeMap<>();
        for (Meter meter : registered()) {
            exported.put(prometheusName(meter), meter);
        }
        assertThat(exported.keySet()).as("the meters found in %s", SOURCES).containsAll(CONTRACT);
        return exported;
    }

    /** The meters the sources register; a meter named by anything but a literal fails, since it cannot be read. */
    static List<Meter> registered() {
        List<Meter> meters = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String source = Files.readString(file);
                Matcher builder = BUILDER.matcher(source);
                while (builder.find()) {
                    String where = file + ":" + line(source, builder.start());
                    Matcher name = LITERAL.matcher(builder.group(2).trim());
                    if (!name.matches()) {
                        unreadable.add(where + " names its meter with " + builder.group(2).trim());
                        continue;
                    }
                    String unit = null;
                    Matcher baseUnit = BASE_UNIT.matcher(statement(source, builder.end()));
                    if (baseUnit.find()) {
                        Matcher literal = LITERAL.matcher(baseUnit.group(1).trim());
                        if (!literal.matches()) {
                            unreadable.add(where + " gives its base unit as " + baseUnit.group(1).trim());
                            continue;
                        }
                        unit = literal.group(1);
                    }
                    meters.add(new Meter(builder.group(1), name.group(1), unit, where));
                }
                Matcher renamed = RENAMED.matcher(source);
                while (renamed.find()) {
                    Matcher constant = Pattern.compile("String\\s+" + renamed.group(1) + "\\s*=\\s*\"(dukan\\.[^\"]*)\"")
                            .matcher(source);
                    if (!constant.find()) {
                        unreadable.add(file + ":" + line(source, renamed.start()) + " renames an observation to "
                                + renamed.group(1) + ", not a dukan. constant of the same file");
                        continue;
                    }
                    meters.add(new Meter("Timer", constant.group(1), null, file + ":" + line(source, renamed.start())));
                }
                Matcher shortcut = SHORTCUT.matcher(source);
                while (shortcut.find()) {
                    String type = switch (shortcut.group(1)) {
                        case "counter" -> "Counter";
                        case "timer" -> "Timer";
                        case "summary" -> "DistributionSummary";
                        default -> "Gauge";
                    };
                    meters.add(new Meter(type, shortcut.group(2), null, file + ":" + line(source, shortcut.start())));
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(unreadable).as("meters this test cannot read: name them (and their base unit) with a string literal")
                .isEmpty();
        return meters;
    }

    /** The name Prometheus scrapes for the meter, as Micrometer's Prometheus registry makes it. */
    static String prometheusName(Meter meter) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        String name = meter.name();
        String unit = meter.baseUnit();
        switch (meter.type()) {
            case "Counter", "FunctionCounter" -> Counter.builder(name).baseUnit(unit).register(registry);
            case "Gauge" -> Gauge.builder(name, () -> 0).baseUnit(unit).register(registry);
            case "TimeGauge" -> TimeGauge.builder(name, () -> 0, TimeUnit.SECONDS).register(registry);
            case "Timer", "FunctionTimer" -> Timer.builder(name).register(registry);
            case "LongTaskTimer" -> LongTaskTimer.builder(name).register(registry);
            case "DistributionSummary" -> DistributionSummary.builder(name).baseUnit(unit).register(registry);
            default -> throw new IllegalArgumentException(meter.type());
        }
        String shortest = null;
        for (String line : registry.scrape().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String series = line.split("[{ ]", 2)[0];
            if (HISTOGRAMS.contains(meter.type())) {
                for (String suffix : HISTOGRAM_SERIES) {
                    if (series.endsWith(suffix)) {
                        series = series.substring(0, series.length() - suffix.length());
                        break;
                    }
                }
            }
            if (shortest == null || series.length() < shortest.length()) {
                shortest = series;
            }
        }
        assertThat(shortest).as("what Prometheus scrapes of %s (%s)", name, meter.where()).isNotNull();
        return shortest;
    }

    static Set<String> namesOnThePage() {
        try {
            Set<String> names = new TreeSet<>();
            Matcher name = DUKAN_NAME.matcher(Files.readString(PAGE));
            while (name.find()) {
                names.add(name.group());
            }
            return names;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The builder's chain, up to its {@code register(…)} call (or the end of the statement). */
    private static String statement(String source, int from) {
        int register = source.indexOf(".register(", from);
        int semicolon = source.indexOf(';', from);
        int end = register >= 0 && (semicolon < 0 || register < semicolon) ? register
                : semicolon >= 0 ? semicolon : source.length();
        return source.substring(from, end);
    }

    private static int line(String source, int offset) {
        return (int) source.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }
}
