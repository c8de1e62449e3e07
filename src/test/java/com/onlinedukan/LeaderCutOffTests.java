package com.onlinedukan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.onlinedukan.cluster.Leadership;
import com.onlinedukan.relay.RelayMonitor;
import com.onlinedukan.relay.RelayState;
import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.DukanTestContext.TestDatabase;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Instances;
import com.onlinedukan.support.FreezableProxy;
import com.onlinedukan.support.Ledger;
import com.onlinedukan.support.Orders;
import com.onlinedukan.support.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay leader's machine cut off from PostgreSQL without closing a connection (no FIN, no
 * RST: PostgreSQL keeps its sessions): the lease runs out, the leader fences itself, and the
 * standby runs the relay within the lease plus a check, ending the stale walsender on the slot.
 */
@Tag("full-stack")
class LeaderCutOffTests {

    static final Duration LEASE = Duration.ofSeconds(3);
    static final Duration CHECK = Duration.ofMillis(500);
    /** Lease + one check, and a second for scheduling on a busy machine. */
    static final Duration TAKEOVER_BOUND = LEASE.plus(CHECK).plusSeconds(1);

    static final String[] FAST = { "--server.port=0", "--dukan.notification.retry.initial-backoff=200ms",
            "--dukan.notification.retry.max-backoff=1s", "--dukan.notification.retry.max-attempts=1000",
            "--dukan.notification.claim-idle=5s", "--dukan.reconciler.grace=2s", "--dukan.reconciler.interval=1s",
            "--dukan.relay.leadership-check-interval=" + CHECK.toMillis() + "ms",
            "--dukan.relay.leader-lease=" + LEASE.toMillis() + "ms",
            // Only the shutdown of the cut-off leader waits on these (a pool connection, the dispatcher's
            // stop); the takeover is bounded by the lease and the check alone.
            "--spring.datasource.hikari.connection-timeout=1000", "--dukan.notification.stop-grace=3s" };

    @RegisterExtension
    final Instances instances = new Instances(FAST);
    final FakeBotApi telegram = instances.alongside(FakeBotApi.start());
    final FreezableProxy proxy = FreezableProxy.to(TestServers.get().postgresHost(), TestServers.get().postgresPort());

    @AfterEach
    void cutFirst() {
        // Cut A's connections before the instances close, so A shuts down on errors rather than
        // waiting on silence (this runs before the extension closes them).
        proxy.close();
    }

    @Test
    void aLeaderCutOffSilentlyIsReplacedWithinTheLeaseAndEveryOrderIsDeliveredOnce() {
        ConfigurableApplicationContext a = instances.start(DukanTestContext.firstOf(telegram).viaPostgresPort(proxy.port()));
        TestDatabase database = a.getBean(TestDatabase.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> relayState(a) == RelayState.RUNNING);
        ConfigurableApplicationContext b = instances.start(DukanTestContext.sharing(database, telegram));
        assertThat(leads(a)).isTrue();
        assertThat(leads(b)).isFalse();

        List<String> before = new ArrayList<>(Instances.place(a, "Before the cut via A", 5));
        before.addAll(Instances.place(b, "Before the cut via B", 5));
        telegram.awaitEachAcceptedOnce(before, Duration.ofSeconds(60));
        // A's dispatcher has recorded every send: no send of A's is left between Telegram's ok
        // and its commit (the one duplicate window no protocol closes).
        Ledger ledger = new Ledger(b.getBean(JdbcClient.class));
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.count("DELIVERED") == before.size());

        proxy.freeze();
        long cut = System.nanoTime();
        List<String> during = Instances.place(b, "While A is cut off", 5);

        await().atMost(TAKEOVER_BOUND).pollInterval(Duration.ofMillis(50)).until(() -> leads(b));
        Duration tookOver = Duration.ofNanos(System.nanoTime() - cut);
        assertThat(leads(a)).as("A fenced itself by its own clock").isFalse();
        assertThat(tookOver).isLessThanOrEqualTo(TAKEOVER_BOUND);
        await().atMost(Duration.ofSeconds(30)).until(() -> relayState(b) == RelayState.RUNNING);
        assertThat(b.getBean(RelayMonitor.class).status().leader()).isTrue();

        List<String> after = Instances.place(b, "After the takeover", 5);
        telegram.awaitEachAcceptedOnce(during, Duration.ofSeconds(60));
        telegram.awaitEachAcceptedOnce(after, Duration.ofSeconds(60));
        telegram.awaitEachAcceptedOnce(before, Duration.ofSeconds(5));
    }

    private static boolean leads(ConfigurableApplicationContext instance) {
        return instance.getBean(Leadership.class).isLeader();
    }

    private static RelayState relayState(ConfigurableApplicationContext instance) {
        return instance.getBean(RelayMonitor.class).status().state();
    }


}
