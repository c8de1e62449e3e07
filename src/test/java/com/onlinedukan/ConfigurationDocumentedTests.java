package com.onlinedukan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's configuration table is one table, and it documents exactly the service's own
 * properties: those of its {@code *Properties} records and the two the embedded servers read
 * before the context exists, as the build's configuration metadata lists them, with the same
 * defaults.
 */
class ConfigurationDocumentedTests {

    static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");
    static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** Spring Boot's own properties, given in the table as environment variables. */
    static final Set<String> BOOT_VARIABLES = Set.of("SPRING_DATASOURCE_URL", "SPRING_DATA_REDIS_HOST",
            "SPRING_DATA_REDIS_PORT", "SERVER_PORT", "SPRING_DATA_REDIS_SENTINEL_MASTER", "SPRING_DATA_REDIS_CLUSTER_NODES");

    @Test
    void theConfigurationTableIsOneTable() throws IOException {
        List<String> section = configurationSection();
        int first = indexOfRow(section, 0);
        int end = first;
        while (end < section.size() && section.get(end).startsWith("|")) {
            end++;
        }
        assertThat(indexOfRow(section, end)).as("a table row after the table ended (a blank line splits it?)").isEqualTo(-1);
        assertThat(section.get(first)).startsWith("| property / env |");
    }

    @Test
    void everyPropertyOfTheServiceIsInTheTableAndEveryRowIsAProperty() throws IOException {
        Map<String, String> defaults = metadataDefaults();
        Set<String> documented = new TreeSet<>();
        for (Row row : rows()) {
            for (String name : row.names()) {
                if (name.startsWith("_") || BOOT_VARIABLES.contains(name)) {
                    continue; // `_USERNAME`, `_PASSWORD` continue SPRING_DATASOURCE_
                }
                // TELEGRAM_BOT_TOKEN -> telegram.bot-token (application.yml maps them one to one)
                String property = name.equals(name.toUpperCase(Locale.ROOT))
                        ? name.toLowerCase(Locale.ROOT).replaceFirst("_", ".").replace('_', '-') : name;
                assertThat(defaults).as("README documents %s, which no *Properties record has", name).containsKey(property);
                documented.add(property);
                if (row.names().size() == 1 && row.defaultValue() != null && defaults.get(property) != null) {
                    assertThat(row.defaultValue()).as("README's default of %s", property).isEqualTo(defaults.get(property));
                }
            }
        }
        assertThat(documented).as("properties in README's table").containsAll(defaults.keySet());
    }

    record Row(List<String> names, String defaultValue) {
    }

    /** The table's rows: the names in the first column, and the default when it is exactly one code span. */
    private static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : configurationSection()) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            List<String> names = new ArrayList<>();
            Matcher name = CODE.matcher(cells[1]);
            while (name.find()) {
                names.add(name.group(1));
            }
            String last = cells[cells.length - 1].trim();
            Matcher single = Pattern.compile("^`([^`]+)`$").matcher(last);
            rows.add(new Row(names, single.matches() ? single.group(1) : null));
        }
        assertThat(rows).isNotEmpty();
        return rows;
    }

    /** The service's own properties (dukan.*, telegram.*) with their defaults (null: none). */
    private static Map<String, String> metadataDefaults() {
        assertThat(METADATA).as("the configuration processor's output (compile first)").exists();
        JsonNode metadata = JsonMapper.builder().build().readTree(METADATA.toFile());
        Map<String, String> defaults = new HashMap<>();
        for (JsonNode property : metadata.path("properties")) {
            String name = property.path("name").asString();
            if (name.startsWith("dukan.") || name.startsWith("telegram.")) {
                JsonNode value = property.path("defaultValue");
                defaults.put(name, value.isMissingNode() || value.isNull() ? null : value.asString());
            }
        }
        return defaults;
    }

    private static List<String> configurationSection() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int start = lines.indexOf("## Configuration");
        assertThat(start).as("README's Configuration section").isNotNegative();
        int end = start + 1;
        while (end < lines.size() && !lines.get(end).startsWith("## ")) {
            end++;
        }
        return lines.subList(start + 1, end);
    }

    private static int indexOfRow(List<String> lines, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).startsWith("|")) {
                return i;
            }
        }
        return -1;
    }
}
