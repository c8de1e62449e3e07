package com.onlinedukan.notification;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.onlinedukan.relay.RelayMonitor;
import com.onlinedukan.relay.RelayState;
import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.DukanTestContext.TestDatabase;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.FreezableProxy;
import com.onlinedukan.support.Instances;
import com.onlinedukan.support.Orders;
import com.onlinedukan.support.TestServers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Writes after a send are retried under their claim (ARCHITECTURE.md, "Recording Telegram's
 * answer"): when PostgreSQL is cut off right after Telegram accepted a message (every connection
 * reset, new ones refused) and comes back while the claim still holds, the DELIVERED write goes
 * through and the message is sent exactly once, also after the lease would have run out.
 */
@Tag("full-stack")
class RecordingUnderTheClaimTests {

    static final Duration LEASE = Duration.ofSeconds(12);

    static final String[] FAST = { "--server.port=0", "--dukan.notification.retry-poll-interval=100ms",
            "--dukan.notification.lease=" + LEASE.toSeconds() + "s", "--dukan.notification.stop-grace=6s",
            "--dukan.telegram.timeout=3s", "--spring.datasource.hikari.connection-timeout=1000",
            "--dukan.notification.retry.initial-backoff=200ms", "--dukan.notification.retry.max-backoff=1s",
            "--dukan.reconciler.grace=2s", "--dukan.reconciler.interval=1s" };

    @RegisterExtension
    final Instances instances = new Instances(FAST);
    final FakeBotApi telegram = instances.alongside(FakeBotApi.start());
    final FreezableProxy proxy = instances.alongside(
            FreezableProxy.to(TestServers.get().postgresHost(), TestServers.get().postgresPort()));

    /**
     * For cuts of several lengths, each shorter than what is left of the claim. Every order is then
     * watched until more than a lease has passed since the last cut: had any row been left claimed,
     * it would have been sent again by then.
     */
    @Test
    void aDeliveredWriteCutOffByPostgresIsRetriedUnderItsClaimAndTheOrderIsSentOnce() {
        ConfigurableApplicationContext service = instances.start(
                DukanTestContext.firstOf(telegram).viaPostgresPort(proxy.port()));
        TestDatabase database = service.getBean(TestDatabase.class);
        Orders orders = new Orders(((WebServerApplicationContext) service).getWebServer().getPort());
        Map<String, Duration> cutOff = new LinkedHashMap<>();
        for (Duration cut : List.of(Duration.ofMillis(700), Duration.ofSeconds(3), Duration.ofSeconds(5))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> relayState(service) == RelayState.RUNNING);
            telegram.beforeNextOkAnswer(() -> {
                proxy.refuse(true);
                proxy.reset();
            });
            String id = orders.placeMany("Cut after ok", 1).get(0);
            cutOff.put(id, cut);
            await().atMost(Duration.ofSeconds(60)).until(() -> !telegram.acceptedMentioning(id).isEmpty());
            // PostgreSQL stays cut for this long after Telegram's ok, then comes back.
            await().pollDelay(cut).atMost(cut.plusSeconds(1)).until(() -> true);
            proxy.refuse(false);

            await().atMost(LEASE).ignoreExceptions()
                    .until(() -> "DELIVERED".equals(orders.get(id).body().get("notification").get("status").asString()));
        }
        // Past the lease of the last one (and longer past the others'): each is still sent once.
        await().during(LEASE.plusSeconds(2)).atMost(LEASE.plusSeconds(4))
                .until(() -> cutOff.keySet().stream().allMatch(id -> telegram.acceptedMentioning(id).size() == 1));
        cutOff.forEach((id, cut) ->
                assertThat(telegram.requestsMentioning(id)).as("sends of an order cut off for " + cut).hasSize(1));
    }

    private static RelayState relayState(ConfigurableApplicationContext instance) {
        return instance.getBean(RelayMonitor.class).status().state();
    }
}
