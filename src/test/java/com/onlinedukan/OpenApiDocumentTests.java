package com.onlinedukan;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import com.onlinedukan.support.DukanTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document the service serves is the API's source of truth, and {@code docs/openapi.json}
 * is that document as committed: a change to the API that is not in the committed file fails here.
 * {@code ./mvnw test -Dtest=OpenApiDocumentTests -Ddukan.docs.write=true} writes the file anew.
 */
@DukanTest
class OpenApiDocumentTests {

    static final Path COMMITTED = Path.of("docs/openapi.json");
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    @LocalServerPort
    int port;

    @Test
    void theCommittedDocumentIsWhatTheServiceServes() throws Exception {
        String served = normalised(fetch("/v3/api-docs"));
        if (Boolean.getBoolean("dukan.docs.write")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.writeString(COMMITTED, served);
        }
        assertThat(COMMITTED).as("docs/openapi.json (regenerate with -Ddukan.docs.write=true)").exists();
        assertThat(served).as("docs/openapi.json is stale: regenerate it with -Ddukan.docs.write=true")
                .isEqualTo(Files.readString(COMMITTED));
    }

    /** Sorted keys, no server URL (the test's random port), so the file changes only when the API does. */
    static String normalised(String document) {
        JsonNode tree = JSON.readTree(document);
        ((ObjectNode) tree).remove("servers");
        Object sorted = JSON.treeToValue(tree, Object.class);
        return JSON.writeValueAsString(sorted) + "\n";
    }

    String fetch(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
