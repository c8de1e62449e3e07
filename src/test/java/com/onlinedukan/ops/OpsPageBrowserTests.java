package com.onlinedukan.ops;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.onlinedukan.stream.OutboxStream;
import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.OpsClient;
import com.onlinedukan.support.Orders;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The ops page in a real browser (Debian's Chromium driven by playwright-core, see
 * {@code src/test/browser/ops-page.mjs}): an SRE reads the throughput chart, the instances, the
 * consumers and the poison entries, searches an order and reads its history, replays one dead
 * letter, bulk-replays another after the dry-run count, and pauses (confirming) and resumes.
 * Screenshots land in target/. CI installs the browser (.ci/run); elsewhere the test is skipped
 * when it is missing.
 */
@DukanTest
// The page shows the whole ledger, and its bulk replay counts every dead letter of the last hour: on a context
// another class has used, that class's dead letters are counted too.
@DirtiesContext(classMode = DirtiesContext.ClassMode.BEFORE_CLASS)
class OpsPageBrowserTests {

    static final Path SCRIPT_DIR = Path.of("src/test/browser");

    @LocalServerPort
    int port;

    @Autowired
    FakeBotApi telegram;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    OutboxStream stream;

    @Test
    void anSreWorksTheOpsPageLikeFlower() throws Exception {
        boolean ready = new File("/usr/bin/chromium").canExecute() && Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core"));
        if (System.getenv("CI") == null) {
            assumeThat(ready).as("chromium and src/test/browser/node_modules (see .ci/run)").isTrue();
        }
        assertThat(ready).as("CI must provide chromium and playwright-core (.ci/run)").isTrue();

        Orders orders = new Orders(port);
        OpsClient ops = new OpsClient(port);
        String delivered = orders.place(Orders.order("Delivered " + UUID.randomUUID(), null, "A")).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(status(orders, delivered)));
        telegram.failNext(2, 400, "Bad Request: message is too long");
        String orderId = orders.place(Orders.order("Dead on arrival " + UUID.randomUUID(), null, "A")).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> "DEAD".equals(status(orders, orderId)));
        String bulkOrderId = orders.place(Orders.order("Dead too " + UUID.randomUUID(), null, "A")).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> "DEAD".equals(status(orders, bulkOrderId)));
        var forged = redis.opsForStream().add(StreamRecords.newRecord().in(stream.key()).ofMap(Map.of(
                "eventId", UUID.randomUUID().toString(), "note", "forged")));
        await().atMost(Duration.ofSeconds(20)).until(() -> ops.call("GET", "/api/ops/poison", null).body()
                .findValuesAsString("streamEntryId").contains(forged.getValue()));

        Path screenshot = Path.of("target/ops-page.png").toAbsolutePath();
        Process browser = new ProcessBuilder("node", "ops-page.mjs", "http://localhost:" + port,
                DukanTestContext.OPS_USER, DukanTestContext.OPS_PASSWORD, orderId, bulkOrderId, screenshot.toString())
                .directory(SCRIPT_DIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target/ops-page-browser.log").toFile())
                .start();
        assertThat(browser.waitFor(120, TimeUnit.SECONDS)).as("the browser session finished").isTrue();
        assertThat(browser.exitValue()).as(Files.readString(Path.of("target/ops-page-browser.log"))).isZero();

        for (String replayed : List.of(orderId, bulkOrderId)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(status(orders, replayed)));
            assertThat(telegram.acceptedMentioning(replayed)).hasSize(1);
        }
        // Newest first: the resume, the one confirmed pause (the dismissed one asked nothing of the API),
        // the bulk replay of one after its dry run, the single replay.
        JsonNode audit = ops.call("GET", "/api/ops/audit?limit=5", null).body();
        assertThat(audit.findValuesAsString("action"))
                .containsExactly("RESUME", "PAUSE", "REPLAY_BULK", "REPLAY_DRY_RUN", "REPLAY");
        assertThat(audit.get(2).get("count").asInt()).isEqualTo(1);
        assertThat(audit.get(3).get("count").asInt()).isEqualTo(1);
        assertThat(screenshot).exists();
    }

    private static String status(Orders orders, String orderId) {
        return orders.get(orderId).body().get("notification").get("status").asString();
    }
}
