package com.onlinedukan;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every configuration name is defined once: the build's configuration metadata lists each property
 * with one source type, the {@code *Properties} record of the module whose concept it is. Two records
 * binding one name would be two defaults and two validations of one setting, free to disagree (and
 * the relay's, the stream's and the lease's records did, under {@code dukan.relay.*}).
 */
class ConfigurationDefinedOnceTests {

    @Test
    void noPropertyNameIsBoundByTwoRecords() {
        assertThat(ConfigurationDocumentedTests.METADATA).as("the configuration processor's output (compile first)")
                .exists();
        JsonNode metadata = JsonMapper.builder().build().readTree(ConfigurationDocumentedTests.METADATA.toFile());
        Map<String, Set<String>> sources = new TreeMap<>();
        for (JsonNode property : metadata.path("properties")) {
            sources.computeIfAbsent(property.path("name").asString(), name -> new TreeSet<>())
                    .add(property.path("sourceType").asString());
        }
        assertThat(sources).as("the service's properties").containsKeys("dukan.relay.stream", "dukan.relay.leader-lease");
        assertThat(sources).as("property names bound by more than one record")
                .allSatisfy((name, types) -> assertThat(types).as(name).hasSize(1));
    }
}
