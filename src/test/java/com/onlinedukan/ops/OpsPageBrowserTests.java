package com.onlinedukan.ops;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Orders;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The ops page in a real browser (Debian's Chromium driven by playwright-core): an SRE logs in,
 * sees a dead letter, presses Replay and sees it delivered. Screenshots land in target/.
 * CI installs the browser (.ci/run); elsewhere the test is skipped when it is missing.
 */
@DukanTest
class OpsPageBrowserTests {

    static final Path SCRIPT_DIR = Path.of("src/test/browser");

    @LocalServerPort
    int port;

    @Autowired
    FakeBotApi telegram;

    @Test
    void anSreReplaysADeadLetterFromTheOpsPage() throws Exception {
        boolean ready = new File("/usr/bin/chromium").canExecute() && Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core"));
        if (System.getenv("CI") == null) {
            assumeThat(ready).as("chromium and src/test/browser/node_modules (see .ci/run)").isTrue();
        }
        assertThat(ready).as("CI must provide chromium and playwright-core (.ci/run)").isTrue();

        Orders orders = new Orders(port);
        telegram.failNext(1, 400, "Bad Request: message is too long");
        String orderId = orders.place(Orders.order("Dead on arrival " + UUID.randomUUID(), null, "A")).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> "DEAD".equals(status(orders, orderId)));

        Path screenshot = Path.of("target/ops-page.png").toAbsolutePath();
        Process browser = new ProcessBuilder("node", "ops-page.mjs", "http://localhost:" + port,
                DukanTestContext.OPS_USER, DukanTestContext.OPS_PASSWORD, orderId, screenshot.toString())
                .directory(SCRIPT_DIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target/ops-page-browser.log").toFile())
                .start();
        assertThat(browser.waitFor(120, TimeUnit.SECONDS)).as("the browser session finished").isTrue();
        assertThat(browser.exitValue()).as(Files.readString(Path.of("target/ops-page-browser.log"))).isZero();

        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(status(orders, orderId)));
        assertThat(telegram.acceptedMentioning(orderId)).hasSize(1);
        assertThat(screenshot).exists();
    }

    private static String status(Orders orders, String orderId) {
        return orders.get(orderId).body().get("notification").get("status").asString();
    }
}
