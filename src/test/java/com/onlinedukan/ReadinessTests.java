package com.onlinedukan;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.OpsClient;
import com.onlinedukan.support.Orders;
import com.onlinedukan.support.OwnRedis;
import com.onlinedukan.support.TestServers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Readiness means "can accept an order": PostgreSQL only. Redis down is a health finding, not an outage. */
@Tag("full-stack")
class ReadinessTests {

    @Test
    void readinessStaysUpAndOrdersAreAcceptedWhileRedisIsDown() throws Exception {
        int redisPort = TestServers.freePort();
        RedisServer redis = OwnRedis.start(redisPort);
        ConfigurableApplicationContext instance = null;
        try {
            instance = new SpringApplicationBuilder(OnlineDukanApplication.class)
                    .initializers(new DukanTestContext().onRedis(redisPort))
                    .run("--server.port=0");
            int port = ((WebServerApplicationContext) instance).getWebServer().getPort();
            Orders http = new Orders(port);
            OpsClient ops = new OpsClient(port);
            assertThat(readiness(http, port)).isEqualTo(200);

            redis.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> "DOWN".equals(
                    ops.call("GET", "/actuator/health/redis", null).body().path("status").asString()));

            assertThat(readiness(http, port)).isEqualTo(200);
            assertThat(http.place(Orders.order("While Redis is down", null, "A")).status()).isEqualTo(201);
            assertThat(ops.call("GET", "/actuator/health", null).status())
                    .as("the whole health still shows Redis down").isEqualTo(503);
        }
        finally {
            if (instance != null) {
                instance.close();
            }
            redis.stop();
        }
    }

    private static int readiness(Orders http, int port) {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness")))
                .status();
    }
}
