package com.onlinedukan.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.OpsClient;
import com.onlinedukan.support.Orders;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** What the service says about itself: its build and commit, and which of its endpoints need the ops credential. */
@DukanTest
class ServiceDescriptionTests {

    @LocalServerPort
    int port;

    @Test
    void actuatorInfoNamesTheBuildVersionAndCommitToAnSre() throws IOException {
        OpsClient ops = new OpsClient(port);
        assertThat(ops.send("GET", "/actuator/info", null, null).status()).isEqualTo(401);

        Orders.Response info = ops.call("GET", "/actuator/info", null);

        assertThat(info.status()).isEqualTo(200);
        assertThat(info.body().path("build").path("version").asString()).isEqualTo(projectVersion());
        assertThat(info.body().path("build").path("artifact").asString()).isEqualTo("onlinedukan");
        assertThat(info.body().path("build").path("time").asString()).isNotBlank();
        if (Files.exists(Path.of(".git"))) {
            // Built from a clone: the commit is known (a source archive without .git builds without it).
            assertThat(info.body().path("git").path("commit").path("id").asString()).matches("[0-9a-f]{7,40}");
        }
    }

    @Test
    void theOpsApiDeclaresHttpBasicAndTheCustomerApiNoSecurity() {
        Orders.Response docs = new Orders(port).send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + port + "/v3/api-docs")).GET());
        assertThat(docs.status()).isEqualTo(200);
        JsonNode api = docs.body();

        JsonNode scheme = api.path("components").path("securitySchemes").path("opsBasic");
        assertThat(scheme.path("type").asString()).isEqualTo("http");
        assertThat(scheme.path("scheme").asString()).isEqualTo("basic");
        assertThat(api.has("security")).as("no security for the whole API").isFalse();

        int opsOperations = 0;
        int customerOperations = 0;
        for (Map.Entry<String, JsonNode> path : api.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                JsonNode security = operation.getValue().path("security");
                String what = operation.getKey().toUpperCase() + " " + path.getKey();
                if (path.getKey().startsWith("/api/ops/")) {
                    assertThat(security.size()).as(what).isEqualTo(1);
                    assertThat(security.get(0).has("opsBasic")).as(what).isTrue();
                    opsOperations++;
                }
                else {
                    assertThat(security.isMissingNode()).as(what + " needs no credential").isTrue();
                    customerOperations++;
                }
            }
        }
        assertThat(opsOperations).isGreaterThanOrEqualTo(8);
        assertThat(customerOperations).isGreaterThanOrEqualTo(2);
    }

    /** The version in pom.xml: what the build wrote into build-info, read from where it comes from. */
    private static String projectVersion() throws IOException {
        Matcher version = Pattern.compile("<artifactId>onlinedukan</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(version.find()).isTrue();
        return version.group(1);
    }
}
