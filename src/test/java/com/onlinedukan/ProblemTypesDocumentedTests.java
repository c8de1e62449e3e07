package com.onlinedukan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every problem {@code type} the service gives has its section in docs/problems.md (the section's
 * anchor is the type's last segment), and the page documents no type the service no longer gives.
 */
class ProblemTypesDocumentedTests {

    static final Pattern TYPE_IN_CODE = Pattern.compile("\"/problems/([a-z-]+)\"");
    static final Pattern SECTION = Pattern.compile("(?m)^## ([a-z-]+)\\s*$");
    static final Pattern TYPE_IN_TABLE = Pattern.compile("\\[`/problems/([a-z-]+)`\\]\\(problems\\.md#([a-z-]+)\\)");

    @Test
    void everyProblemTypeTheServiceGivesHasItsSectionAndNoSectionIsStale() throws IOException {
        Set<String> given = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher type = TYPE_IN_CODE.matcher(Files.readString(source));
                while (type.find()) {
                    given.add(type.group(1));
                }
            }
        }
        String page = Files.readString(Path.of("docs/problems.md"));
        Set<String> sections = new TreeSet<>();
        Matcher section = SECTION.matcher(page);
        while (section.find()) {
            sections.add(section.group(1));
        }
        Set<String> listed = new TreeSet<>();
        Matcher row = TYPE_IN_TABLE.matcher(page);
        while (row.find()) {
            assertThat(row.group(2)).as("the table's link for /problems/" + row.group(1)).isEqualTo(row.group(1));
            listed.add(row.group(1));
        }

        assertThat(given).as("problem types in src/main/java").contains("validation", "unauthorized", "overloaded");
        assertThat(sections).as("sections of docs/problems.md").isEqualTo(given);
        assertThat(listed).as("the table of docs/problems.md").isEqualTo(given);
    }
}
