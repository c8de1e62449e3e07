package com.onlinedukan.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.onlinedukan.support.TestServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay module's stream subscriptions and trimming, against the real Redis of
 * {@link TestServers}, each test on a stream key of its own.
 */
class OutboxStreamTests {

    static final String GROUP = "notifier";
    static final Duration WAIT = Duration.ofSeconds(15);

    static LettuceConnectionFactory connections;
    static StringRedisTemplate redis;

    String key;
    StreamProperties properties;
    CountingRedisStream commands;
    OutboxStream stream;
    final List<StreamSubscription> subscriptions = new ArrayList<>();

    @BeforeAll
    static void connect() {
        TestServers servers = TestServers.get();
        connections = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(servers.redisHost(), servers.redisPort()));
        connections.afterPropertiesSet();
        connections.start();
        redis = new StringRedisTemplate(connections);
    }

    @AfterAll
    static void disconnect() {
        connections.destroy();
    }

    @BeforeEach
    void newStream() {
        key = "relay-test:" + UUID.randomUUID() + ":outbox";
        properties = new StreamProperties(key, 1_000_000, Duration.ofMillis(200));
        commands = new CountingRedisStream(connections, redis, properties);
        stream = new OutboxStream(properties, commands, new StreamTrimmer(commands), new SimpleMeterRegistry());
    }

    @AfterEach
    void cleanUp() {
        subscriptions.forEach(StreamSubscription::close);
        stream.destroy();
        redis.delete(key);
    }

    @Test
    void aBatchIsHandedOverWholeAndAcknowledgedInOneCall() {
        List<String> ids = add(20);
        Batches batches = new Batches();

        subscribe("c1", 50, batches);

        await().atMost(WAIT).until(() -> batches.ids().size() == 20);
        assertThat(batches.all).hasSize(1);
        assertThat(batches.ids()).containsExactlyElementsOf(ids);
        await().atMost(WAIT).until(() -> stream.depth(GROUP).pending() == 0);
        assertThat(commands.acknowledgements.get()).isEqualTo(1);
    }

    @Test
    void aHandlerThatThrowsGetsItsOwnPendingEntriesAgainBeforeNewOnesAndNothingIsLost() {
        List<String> first = add(5);
        AtomicInteger failures = new AtomicInteger();
        List<String> later = new ArrayList<>();
        Batches batches = new Batches();
        subscribe("c1", 50, batch -> {
            if (failures.getAndIncrement() < 2) {
                if (later.isEmpty()) {
                    later.addAll(add(5)); // arrive while the first ones are failing
                }
                throw new IllegalStateException("ledger unavailable");
            }
            batches.accept(batch);
        });

        await().atMost(WAIT).until(() -> batches.ids().size() == 10);
        assertThat(batches.all.get(0)).extracting(StreamEntry::id).containsExactlyElementsOf(first);
        assertThat(batches.ids()).containsExactlyElementsOf(concat(first, later));
        await().atMost(WAIT).until(() -> stream.depth(GROUP).pending() == 0);
    }

    @Test
    void anEntryDeletedWhileFailingIsAcknowledgedAndTheRestHandedOverAgain() {
        List<String> ids = add(3);
        AtomicBoolean failed = new AtomicBoolean();
        Batches batches = new Batches();
        subscribe("c1", 50, batch -> {
            if (!failed.getAndSet(true)) {
                redis.opsForStream().delete(key, ids.get(1));
                throw new IllegalStateException("ledger unavailable");
            }
            batches.accept(batch);
        });

        await().atMost(WAIT).until(() -> stream.depth(GROUP).pending() == 0 && !batches.all.isEmpty());
        assertThat(batches.ids()).containsExactly(ids.get(0), ids.get(2));
    }

    @Test
    void theGaugesShowLengthAndPending() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        stream = new OutboxStream(properties, commands, new StreamTrimmer(commands), meters);
        redis.opsForStream().createGroup(key, ReadOffset.from("0"), "slow");
        add(4);
        subscribe("c1", 50, batch -> { });

        await().atMost(WAIT).until(() -> meters.get("dukan.stream.length").gauge().value() == 4
                && meters.get("dukan.stream.pending").tag("group", GROUP).gauge().value() == 0);
    }

    @Test
    void readingRecoversAfterRedisLosesTheGroup() {
        Batches batches = new Batches();
        subscribe("c1", 50, batches);
        List<String> before = add(2);
        await().atMost(WAIT).until(() -> batches.ids().containsAll(before));

        redis.opsForStream().destroyGroup(key, GROUP);
        List<String> afterDestroy = add(2);
        await().atMost(WAIT).until(() -> batches.ids().containsAll(afterDestroy));

        redis.delete(key); // what a restart without persistence or a FLUSHALL does to this stream
        List<String> afterLoss = add(2);
        await().atMost(WAIT).until(() -> batches.ids().containsAll(afterLoss));
        await().atMost(WAIT).until(() -> stream.depth(GROUP).pending() == 0);
    }

    @Test
    void entriesLeftPendingByADeadConsumerAreReclaimedAfterClaimIdleAndTheGhostIsForgotten() {
        stream.subscribe(new Subscriber(GROUP, "bystander", 10, Duration.ofHours(1), Duration.ofHours(1),
                batch -> { })).close(); // creates the group, reads nothing
        redis.opsForStream().createGroup(key, ReadOffset.from("0"), "other"); // keeps the entries untrimmed
        List<String> orphaned = add(3);
        var read = redis.opsForStream().read(Consumer.from(GROUP, "ghost"), StreamReadOptions.empty().count(10),
                StreamOffset.create(key, ReadOffset.lastConsumed()));
        assertThat(read).hasSize(3);

        Batches batches = new Batches();
        subscriptions.add(stream.subscribe(new Subscriber(GROUP, "survivor", 10, Duration.ofMillis(500),
                Duration.ofMillis(500), batches)));

        await().atMost(WAIT).until(() -> batches.ids().containsAll(orphaned));
        await().atMost(WAIT).until(() -> stream.depth(GROUP).pending() == 0);
        await().atMost(WAIT).until(() -> consumers().equals(List.of("survivor")));
    }

    @Test
    void acknowledgedEntriesAreTrimmedSoTheStreamHoldsOnlyWhatIsUnacknowledged() {
        Batches batches = new Batches();
        subscribe("c1", 50, batches);
        add(120);

        await().atMost(WAIT).until(() -> batches.ids().size() == 120);
        await().atMost(WAIT).until(() -> redis.opsForStream().size(key) == 0);
    }

    @Test
    void aSlowerGroupHoldsTrimmingBackToItsOldestUnacknowledgedEntry() {
        redis.opsForStream().createGroup(key, ReadOffset.from("0"), "slow");
        List<String> ids = add(10);
        var slowRead = redis.opsForStream().read(Consumer.from("slow", "slow-1"), StreamReadOptions.empty().count(5),
                StreamOffset.create(key, ReadOffset.lastConsumed()));
        assertThat(slowRead).hasSize(5);
        redis.opsForStream().acknowledge(key, "slow", ids.get(0), ids.get(1));

        Batches batches = new Batches();
        subscribe("c1", 50, batches);
        await().atMost(WAIT).until(() -> batches.ids().size() == 10);

        // The slow group still needs the 3rd entry (pending) and everything after it.
        await().atMost(WAIT).until(() -> streamIds().equals(ids.subList(2, 10)));

        // Acknowledged up to what it read (the 5th): only the unread remain.
        redis.opsForStream().acknowledge(key, "slow", ids.get(2), ids.get(3), ids.get(4));
        await().atMost(WAIT).until(() -> streamIds().equals(ids.subList(5, 10)));
    }

    @Test
    void aStreamNobodyReadsIsNotTrimmed() {
        add(5);

        long removed = new StreamTrimmer(commands).trim(commands.groups());

        assertThat(removed).isZero();
        assertThat(redis.opsForStream().size(key)).isEqualTo(5);
    }

    @Test
    void depthReportsLengthAndPendingAndZerosWhenRedisHasNeither() {
        assertThat(stream.depth(GROUP)).isEqualTo(new StreamDepth(0, 0));

        add(3);
        redis.opsForStream().createGroup(key, ReadOffset.from("0"), GROUP);
        redis.opsForStream().read(Consumer.from(GROUP, "ghost"), StreamReadOptions.empty().count(2),
                StreamOffset.create(key, ReadOffset.lastConsumed()));

        assertThat(stream.depth(GROUP)).isEqualTo(new StreamDepth(3, 2));
        assertThat(stream.depth("no-such-group")).isEqualTo(new StreamDepth(3, 0));
    }

    @Test
    void closeReturnsOnceTheBatchInFlightIsHandledAndLeavesTheGroup() {
        AtomicBoolean handling = new AtomicBoolean();
        AtomicBoolean handled = new AtomicBoolean();
        StreamSubscription subscription = stream.subscribe(new Subscriber(GROUP, "c1", 10, Duration.ofMinutes(1),
                Duration.ofHours(1), batch -> {
                    handling.set(true);
                    try {
                        Thread.sleep(500);
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    handled.set(true);
                }));
        add(1);
        await().atMost(WAIT).untilTrue(handling);

        subscription.close();

        assertThat(handled).isTrue();
        assertThat(stream.depth(GROUP).pending()).isZero();
        assertThat(consumers()).doesNotContain("c1");
    }

    @Test
    void blockingReadsDoNotHoldUpTheSharedConnection() {
        subscribe("c1", 10, batch -> { });
        await().atMost(WAIT).until(() -> consumers().contains("c1"));

        for (int i = 0; i < 10; i++) {
            long started = System.nanoTime();
            redis.opsForStream().size(key);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(300));
        }
    }

    @Test
    void idsCompareByNumberNotText() {
        assertThat(StreamId.parse("9-0")).isLessThan(StreamId.parse("10-0"));
        assertThat(StreamId.parse("10-2")).isLessThan(StreamId.parse("10-10"));
        assertThat(StreamId.parse("10-2").next()).isEqualTo(StreamId.parse("10-3"));
        assertThat(StreamId.parse("7").toString()).isEqualTo("7-0");
    }

    private void subscribe(String consumer, int batchSize, StreamConsumer handler) {
        subscriptions.add(stream.subscribe(new Subscriber(GROUP, consumer, batchSize, Duration.ofMinutes(1),
                Duration.ofHours(1), handler)));
    }

    private List<String> add(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(redis.opsForStream().add(StreamRecords.newRecord().in(key)
                    .ofMap(Map.of("n", Integer.toString(i), "payload", "{}"))).getValue());
        }
        return ids;
    }

    private List<String> streamIds() {
        return redis.opsForStream().range(key, Range.unbounded()).stream().map(r -> r.getId().getValue()).toList();
    }

    private List<String> consumers() {
        List<String> names = new ArrayList<>();
        redis.opsForStream().consumers(key, GROUP).forEach(c -> names.add(c.consumerName()));
        return names;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** What a subscriber was handed, batch by batch. */
    static final class Batches implements StreamConsumer {

        final List<List<StreamEntry>> all = new CopyOnWriteArrayList<>();

        @Override
        public void accept(List<StreamEntry> batch) {
            all.add(List.copyOf(batch));
        }

        List<String> ids() {
            return all.stream().flatMap(List::stream).map(StreamEntry::id).toList();
        }
    }

    /** Counts the XACK calls the subscriptions make. */
    static final class CountingRedisStream extends RedisStream {

        final AtomicInteger acknowledgements = new AtomicInteger();

        CountingRedisStream(LettuceConnectionFactory connections, StringRedisTemplate redis,
                StreamProperties properties) {
            super(connections, redis, properties);
        }

        @Override
        void acknowledge(String group, List<String> ids) {
            acknowledgements.incrementAndGet();
            super.acknowledge(group, ids);
        }
    }
}
