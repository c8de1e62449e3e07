package com.onlinedukan.relay;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.DukanTestContext.TestDatabase;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Instances;
import com.onlinedukan.support.TestServers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Invariant (issue 17): the slot dropped while the service is stopped (a failover to a PostgreSQL
 * 16 standby loses it the same way) costs no notification and no waiting: at the next start the
 * relay makes a slot of the same name and the orders committed while it was down are delivered at
 * once, each exactly once, long before the reconciler's grace (10 minutes here).
 */
@Tag("full-stack")
class SlotLossWhileStoppedTests {

    static final String[] ARGS = { "--server.port=0", "--dukan.reconciler.grace=10m",
            "--dukan.reconciler.interval=1s", "--dukan.relay.leadership-check-interval=500ms" };

    @RegisterExtension
    final Instances relays = new Instances(ARGS);
    /** Takes orders while no relay runs: the relay turned off, as with Debezium Server, which is stopped too. */
    @RegisterExtension
    final Instances withoutRelay = new Instances(with(ARGS, "--dukan.relay.enabled=false"));
    final FakeBotApi telegram = relays.alongside(FakeBotApi.start());

    @Test
    void ordersCommittedWhileTheServiceWasDownAndItsSlotDroppedAreDeliveredAtOnceAfterTheStart() {
        ConfigurableApplicationContext first = relays.start(DukanTestContext.firstOf(telegram));
        TestDatabase database = first.getBean(TestDatabase.class);
        List<String> before = Instances.place(first, "Before the stop", 2);
        telegram.awaitEachAcceptedOnce(before, Duration.ofSeconds(40));
        JdbcClient jdbc = first.getBean(JdbcClient.class);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql("SELECT count(*) FROM relay_offset").query(Long.class).single() > 0);
        relays.close();

        TestServers.get().dropSlot(database.slotName());
        ConfigurableApplicationContext front = withoutRelay.start(DukanTestContext.sharing(database, telegram));
        List<String> whileDown = Instances.place(front, "While the service was down",
                ThreadLocalRandom.current().nextInt(1, 8));
        withoutRelay.close();
        assertThat(whileDown).allMatch(id -> telegram.acceptedMentioning(id).isEmpty());

        long started = System.nanoTime();
        ConfigurableApplicationContext second = relays.start(DukanTestContext.sharing(database, telegram));
        telegram.awaitEachAcceptedOnce(whileDown, Duration.ofSeconds(40));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        List<String> after = Instances.place(second, "After the start", 3);
        telegram.awaitEachAcceptedOnce(after, Duration.ofSeconds(40));

        assertThat(took).as("delivered at once after the start, not after the grace").isLessThan(Duration.ofMinutes(2));
        assertThat(second.getBean(MeterRegistry.class).get("dukan.relay.slot.recoveries").counter().count())
                .isEqualTo(1.0);
        assertThat(second.getBean(JdbcClient.class).sql(
                "SELECT count(*) FROM pg_replication_slots WHERE slot_name = :slot AND active")
                .param("slot", database.slotName()).query(Long.class).single()).isEqualTo(1);
        assertThat(telegram.acceptedMentioning(before.get(0))).hasSize(1);
        System.out.println("Orders committed while down delivered " + took.toMillis() + " ms after the start");
    }

    private static String[] with(String[] args, String more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = more;
        return all;
    }
}
