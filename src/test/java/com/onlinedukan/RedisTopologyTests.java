package com.onlinedukan;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.DukanTestContext.TestDatabase;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Instances;
import com.onlinedukan.support.OpsClient;
import com.onlinedukan.support.RedisTopologies;
import com.onlinedukan.support.TestServers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Past one machine: the whole pipeline — publish, consumer group, claim, trim, the shared
 * Telegram budgets — on a real Redis Cluster and on a real Sentinel-watched master and replica,
 * configured as production would, with Spring Boot's own {@code spring.data.redis.cluster.*} and
 * {@code spring.data.redis.sentinel.*}. Two service instances on one database.
 *
 * <p>The properties: every order is delivered exactly once; and however the two instances divide
 * the work, the fake Bot API never sees more {@code sendMessage} calls in any interval than the
 * one bot budget allows (burst + refill over the interval) while both instances report their
 * budgets shared — which they must for most of the run — where budgets of each instance's own
 * would allow twice as many.
 */
@Tag("full-stack")
class RedisTopologyTests {

    /**
     * The bot's budget: a burst of one and one a second (see {@code SharedBudgets.atMost}); low
     * enough that even a busy machine sends twice as fast with a budget per instance.
     */
    static final int BOT_PER_SECOND = 2;

    static final List<String> COMMON = List.of("--server.port=0",
            "--dukan.notification.retry.initial-backoff=200ms", "--dukan.notification.retry.max-backoff=1s",
            "--dukan.notification.retry.max-attempts=1000", "--dukan.notification.claim-idle=1s",
            "--dukan.reconciler.interval=1s", "--dukan.relay.leadership-check-interval=500ms",
            "--dukan.telegram.rate.global-per-second=" + BOT_PER_SECOND,
            // The chat's limits out of the way: the bot's budget is the one under test, and one
            // message per order (no digests), so the load stays above the budget however it is divided.
            "--dukan.telegram.rate.per-chat-per-minute=100000", "--dukan.telegram.rate.per-chat-per-second=1000",
            "--dukan.notification.max-per-message=1");

    final FakeBotApi telegram = FakeBotApi.start();
    Instances instances;
    TestDatabase database;
    AutoCloseable topology;
    SharingWatch sharing;
    ConfigurableApplicationContext firstInstance;

    @AfterEach
    void cleanUp() throws Exception {
        if (sharing != null) {
            sharing.close();
        }
        if (instances != null) {
            instances.close();
        }
        telegram.close();
        if (database != null) {
            TestServers.get().dropSlot(database.slotName());
        }
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void onARedisClusterTwoInstancesShareOneBotBudgetAndDeliverEachOrderOnceByTheStreamAlone() {
        RedisTopologies.Cluster cluster = RedisTopologies.cluster(3);
        topology = cluster;
        // The reconciler out of the way: only the stream (publish, group, claim) can deliver here.
        start("--spring.data.redis.cluster.nodes=" + cluster.nodes(), "--dukan.reconciler.grace=10m");
        ConfigurableApplicationContext a = first();
        ConfigurableApplicationContext b = second();
        String stream = a.getEnvironment().getRequiredProperty("dukan.relay.stream");

        ops(a, "pause");
        // An entry read by a consumer that dies before handing it over: only XAUTOCLAIM brings it.
        inboxes(Lifecycle.STOP, a, b);
        String orphaned = Instances.place(a, "Orphaned", 1).get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.onKey(stream, "XRANGE", stream, "-", "+").contains(orphaned));
        assertThat(cluster.onKey(stream, "XREADGROUP", "GROUP", "dukan-notifier", "ghost", "COUNT", "100",
                "STREAMS", stream, ">")).contains(orphaned);
        inboxes(Lifecycle.START, a, b);

        List<String> ids = drainedWithinOneBotBudget(a, b, 16);
        ids.add(orphaned);
        telegram.awaitEachAcceptedOnce(ids, Duration.ofSeconds(90));

        assertThat(Stream.of(a, b)).allSatisfy(instance -> assertThat(budgetsShared(instance)).isEqualTo(1.0));
        assertThat(cluster.keys("dukan:telegram:budget:*")).as("the budgets' buckets live on the cluster").isNotEmpty();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(cluster.onKey(stream, "XLEN", stream).strip())
                .as("everything acknowledged is trimmed").isEqualTo("0"));
    }

    @Test
    void onSentinelAFailoverUnderLoadLosesNothingAndTheBudgetStaysShared() throws Exception {
        RedisTopologies.Sentinel sentinel = RedisTopologies.sentinel();
        topology = sentinel;
        start("--spring.data.redis.sentinel.master=" + RedisTopologies.Sentinel.MASTER_NAME,
                "--spring.data.redis.sentinel.nodes=" + sentinel.nodes(), "--dukan.reconciler.grace=3s");
        ConfigurableApplicationContext a = first();
        ConfigurableApplicationContext b = second();

        List<String> before = drainedWithinOneBotBudget(a, b, 10);

        List<String> during = new ArrayList<>();
        Thread load = new Thread(() -> during.addAll(placeSteadily(a, b, 10, Duration.ofMillis(300))));
        load.start();
        sentinel.failover();
        load.join();
        telegram.awaitEachAcceptedOnce(during, Duration.ofSeconds(90));

        // Both follow the Sentinel to the new master; from then on they share one budget there.
        await().atMost(Duration.ofSeconds(30)).until(() -> budgetsShared(a) == 1.0 && budgetsShared(b) == 1.0);
        drainedWithinOneBotBudget(a, b, 10);
        telegram.awaitEachAcceptedOnce(before, Duration.ofSeconds(1));
        assertThat(sentinel.onMaster("--scan", "--pattern", "dukan:telegram:budget:*"))
                .as("the budgets' buckets live on the new master").isNotBlank();
    }

    private void start(String... topologyArguments) {
        List<String> args = new ArrayList<>(COMMON);
        args.addAll(List.of(topologyArguments));
        instances = new Instances(args.toArray(String[]::new));
    }

    private ConfigurableApplicationContext first() {
        firstInstance = instances.start(DukanTestContext.firstOf(telegram));
        database = firstInstance.getBean(TestDatabase.class);
        return firstInstance;
    }

    private ConfigurableApplicationContext second() {
        ConfigurableApplicationContext instance = instances.start(DukanTestContext.sharing(database, telegram));
        sharing = new SharingWatch(List.of(firstInstance, instance));
        return instance;
    }

    /** Orders placed one at a time through the two instances in turn, one every {@code pace}: a load above the budget. */
    private static List<String> placeSteadily(ConfigurableApplicationContext a, ConfigurableApplicationContext b,
            int count, Duration pace) {
        List<String> ids = new ArrayList<>();
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            ids.addAll(Instances.place(i % 2 == 0 ? a : b, "Topology " + i, 1));
            next += pace.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return ids;
    }

    /** Orders that waited while delivery was paused, and when the pause ended. */
    record Backlog(List<String> ids, Instant from) {
    }

    /**
     * Orders placed while delivery is paused (through both instances), then delivery resumed: a
     * backlog both dispatchers drain as fast as the budget lets them, whatever the machine's speed.
     */
    private static Backlog backlogThenDrain(ConfigurableApplicationContext a, ConfigurableApplicationContext b, int count) {
        ops(a, "pause");
        List<String> ids = placeSteadily(a, b, count, Duration.ZERO);
        Instant from = Instant.now();
        ops(b, "resume");
        return new Backlog(ids, from);
    }

    /**
     * A backlog drained by both instances, checked against one bot budget. No round may exceed the
     * budget while both shared it; a round in which the machine starved the budget calls into the
     * fallback (so that too few sends were made while shared to judge) is measured again, at most
     * three rounds in all. Returns every order placed, each accepted once.
     */
    private List<String> drainedWithinOneBotBudget(ConfigurableApplicationContext a, ConfigurableApplicationContext b,
            int count) {
        List<String> placed = new ArrayList<>();
        for (int round = 1; ; round++) {
            Backlog drained = backlogThenDrain(a, b, count);
            placed.addAll(drained.ids());
            telegram.awaitEachAcceptedOnce(placed, Duration.ofSeconds(90));
            List<Instant> sends = sendsSince(drained.from());
            assertNoMoreThanOneBotBudget(sharing, sends);
            if (judgedEnough(sharing, sends) || round == 3) {
                assertThat(judged(sharing, sends)).as("sends made while both instances shared their budgets (of %d), round %d",
                        sends.size(), round).isGreaterThanOrEqualTo(enough(sends));
                return placed;
            }
        }
    }

    private static void ops(ConfigurableApplicationContext instance, String action) {
        int port = ((WebServerApplicationContext) instance).getWebServer().getPort();
        assertThat(new OpsClient(port).call("POST", "/api/ops/delivery/" + action, null).status())
                .as("delivery " + action).isLessThan(300);
    }

    private List<Instant> sendsSince(Instant from) {
        return telegram.requests().stream().map(FakeBotApi.Request::at).filter(at -> !at.isBefore(from)).sorted()
                .toList();
    }

    /**
     * In every interval between two sends while both instances said their budgets were shared, no
     * more than the bucket allows: its burst plus the refill over the interval, and one more for the
     * time a request takes to reach the fake. An instance that falls back to budgets of its own (a
     * budget call slower than 500 ms on a starved machine) says so in its gauge, and those intervals
     * are the fallback's, not the shared budget's.
     */
    private static void assertNoMoreThanOneBotBudget(SharingWatch sharing, List<Instant> sends) {
        int burst = Math.max(1, BOT_PER_SECOND / 20);
        int refill = Math.max(1, BOT_PER_SECOND - burst);
        for (int i = 0; i < sends.size(); i++) {
            for (int j = i + 1; j < sends.size(); j++) {
                if (!sharing.sharedThroughout(sends.get(i), sends.get(j))) {
                    continue;
                }
                double seconds = Duration.between(sends.get(i), sends.get(j)).toNanos() / 1e9;
                double allowed = burst + refill * seconds + 1;
                assertThat((double) (j - i + 1)).as("sends from #%d to #%d, %.2f s apart", i, j, seconds)
                        .isLessThanOrEqualTo(allowed);
            }
        }
    }

    /** Most sends must fall while both shared, or the round proves nothing about the shared budget. */
    private static boolean judgedEnough(SharingWatch sharing, List<Instant> sends) {
        return judged(sharing, sends) >= enough(sends);
    }

    private static long judged(SharingWatch sharing, List<Instant> sends) {
        return sends.stream().filter(at -> sharing.sharedThroughout(at, at)).count();
    }

    private static int enough(List<Instant> sends) {
        return Math.max(8, sends.size() * 2 / 3);
    }

    /**
     * Samples every 50 ms whether every instance's budgets are shared ({@code dukan_telegram_budgets_shared})
     * and how often they have fallen back ({@code dukan_telegram_budgets_fallbacks_total}): a fallback shorter
     * than the gap between two samples (a starved machine stretches the gap) still marks the whole gap as
     * not shared, since the counter moved across it.
     */
    static final class SharingWatch implements AutoCloseable {

        /** Windows [from, to] in which some instance's budgets were, or may have been, its own. */
        private final List<Instant[]> notShared = new CopyOnWriteArrayList<>();
        private final Instant started = Instant.now();
        private final Thread sampler;
        private volatile boolean running = true;

        SharingWatch(List<ConfigurableApplicationContext> instances) {
            sampler = new Thread(() -> {
                Instant previous = Instant.now();
                double fallbacks = fallbacks(instances);
                while (running) {
                    try {
                        Instant now = Instant.now();
                        double nowFallbacks = fallbacks(instances);
                        if (nowFallbacks != fallbacks) {
                            notShared.add(new Instant[] { previous, now });
                            fallbacks = nowFallbacks;
                        }
                        if (instances.stream().anyMatch(instance -> budgetsShared(instance) != 1.0)) {
                            notShared.add(new Instant[] { now, now });
                        }
                        previous = now;
                        Thread.sleep(50);
                    }
                    catch (InterruptedException e) {
                        return;
                    }
                    catch (RuntimeException closing) {
                        return;
                    }
                }
            }, "budget-sharing-watch");
            sampler.setDaemon(true);
            sampler.start();
        }

        private static double fallbacks(List<ConfigurableApplicationContext> instances) {
            return instances.stream().mapToDouble(instance -> instance.getBean(MeterRegistry.class)
                    .get("dukan.telegram.budgets.fallbacks").functionCounter().count()).sum();
        }

        /** Whether no window in which an instance kept budgets of its own overlaps shortly before {@code from} to shortly after {@code to}. */
        boolean sharedThroughout(Instant from, Instant to) {
            Instant first = from.minusMillis(200);
            Instant last = to.plusMillis(200);
            return !first.isBefore(started)
                    && notShared.stream().noneMatch(window -> !window[1].isBefore(first) && !window[0].isAfter(last));
        }

        @Override
        public void close() {
            running = false;
            sampler.interrupt();
        }
    }

    private static double budgetsShared(ConfigurableApplicationContext instance) {
        return instance.getBean(MeterRegistry.class).get("dukan.telegram.budgets.shared").gauge().value();
    }

    enum Lifecycle { STOP, START }

    /** The notifier's stream consumer ({@code notification.Inbox}), by its bean name. */
    private static void inboxes(Lifecycle action, ConfigurableApplicationContext... instances) {
        for (ConfigurableApplicationContext instance : instances) {
            SmartLifecycle inbox = instance.getBean("inbox", SmartLifecycle.class);
            if (action == Lifecycle.STOP) {
                inbox.stop();
            }
            else {
                inbox.start();
            }
        }
    }
}
