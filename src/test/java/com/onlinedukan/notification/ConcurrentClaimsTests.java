package com.onlinedukan.notification;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.onlinedukan.notification.DeliveryLedger.Claim;
import com.onlinedukan.outbox.OutboxEvent;
import com.onlinedukan.support.TestServers;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ledger's claim, alone against PostgreSQL (no Spring context, no relay, no Redis, no Telegram):
 * the statement every sender of every instance runs side by side. Invariant: while a lease holds, a
 * notification is held by one claim only, however many senders claim at once; every due
 * notification is claimed by some sender; and a claim whose lease another sender took over writes
 * nothing (no DELIVERED, retry, DEAD or release over its successor's row).
 */
class ConcurrentClaimsTests {

    private static final AtomicInteger databases = new AtomicInteger();
    private static HikariDataSource dataSource;
    private static DeliveryLedger ledger;
    private static JdbcClient jdbc;

    @BeforeAll
    static void migratedDatabase() {
        dataSource = TestServers.get().migratedDatabase(
                "dukan_claims_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet(), 16);
        jdbc = JdbcClient.create(dataSource);
        ledger = new DeliveryLedger(jdbc, JsonMapper.builder().build());
    }

    @AfterAll
    static void close() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @Test
    void sendersClaimingAtOnceNeverHoldOneNotificationTwice() throws Exception {
        List<UUID> registered = register(600);
        int senders = 8;
        Map<UUID, String> holder = new ConcurrentHashMap<>();
        Set<UUID> claimedTwice = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Future<Integer>> claims = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                String sender = "sender-" + i;
                claims.add(pool.submit(() -> {
                    start.await();
                    int batches = 0;
                    while (true) {
                        // A lease far longer than the test: nothing may be claimed a second time.
                        List<Claim> batch = ledger.claimDueWhilePaused(sender, Duration.ofMinutes(10), 7);
                        if (batch.isEmpty()) {
                            return batches;
                        }
                        batches++;
                        for (Claim claim : batch) {
                            if (holder.putIfAbsent(claim.eventId(), sender) != null) {
                                claimedTwice.add(claim.eventId());
                            }
                        }
                    }
                }));
            }
            start.countDown();
            int batches = 0;
            for (Future<Integer> claim : claims) {
                batches += claim.get();
            }
            assertThat(batches).as("claims made").isGreaterThanOrEqualTo(600 / 7);
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(claimedTwice).as("notifications held by two claims at once").isEmpty();
        assertThat(holder.keySet()).as("every due notification claimed").containsAll(registered);
        assertThat(holder.values().stream().distinct().count()).as("senders that got a share").isGreaterThan(1);
    }

    @Test
    void aClaimedBatchMovesOnlyUnderItsOwnToken() {
        register(5);
        List<Claim> mine = ledger.claimDueWhilePaused("sender-a", Duration.ofMinutes(10), 5);
        assertThat(mine).isNotEmpty();
        Claim first = mine.get(0);
        Claim forged = new Claim(first.eventId(), first.orderId(), first.payload(), first.attempts(),
                first.firstFailedAt(), first.committedAt(), UUID.randomUUID(), first.trace(), first.claimedNanos());

        assertThat(ledger.delivered(List.of(forged), 1)).as("moved under another token").isZero();
        assertThat(ledger.delivered(mine, 2)).as("moved under the claim's own token").isEqualTo(mine.size());
        assertThat(jdbc.sql("SELECT count(*) FROM notification WHERE event_id IN (:ids) AND status = 'DELIVERED'")
                .param("ids", mine.stream().map(Claim::eventId).toList()).query(Integer.class).single())
                .isEqualTo(mine.size());
    }

    @Test
    void aClaimWhoseLeaseWasTakenOverCannotOverwriteTheNewHoldersRow() {
        UUID eventId = UUID.randomUUID();
        ledger.register(List.of(new OutboxEvent(eventId, "Order", UUID.randomUUID().toString(), "OrderPlaced",
                "{}", Instant.now(), null)));

        List<Claim> first = ledger.claimDueWhilePaused("sender-a", Duration.ofMillis(200), 1000).stream()
                .filter(c -> c.eventId().equals(eventId)).toList();
        assertThat(first).hasSize(1);
        List<Claim> second = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            ledger.claimDueWhilePaused("sender-b", Duration.ofMinutes(1), 1000).stream()
                    .filter(c -> c.eventId().equals(eventId)).forEach(second::add);
            return !second.isEmpty();
        });

        assertThat(ledger.delivered(first, 42)).as("rows the stale claim may still write").isZero();
        assertThat(ledger.retrying(first, AttemptOutcome.TRANSIENT, "late", Duration.ZERO)).isZero();
        assertThat(ledger.dead(first, AttemptOutcome.PERMANENT, "late")).isZero();
        assertThat(ledger.release(first)).isZero();
        assertThat(jdbc.sql("SELECT status || ' ' || lease_owner FROM notification WHERE event_id = ?").param(eventId)
                .query(String.class).single()).isEqualTo("PENDING sender-b");

        assertThat(ledger.delivered(second, 43)).isEqualTo(1);
        assertThat(jdbc.sql("SELECT status FROM notification WHERE event_id = ?").param(eventId)
                .query(String.class).single()).isEqualTo("DELIVERED");
    }

    private static List<UUID> register(int count) {
        List<OutboxEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(new OutboxEvent(UUID.randomUUID(), "Order", UUID.randomUUID().toString(), "OrderPlaced", "{}",
                    Instant.now(), null));
        }
        assertThat(ledger.register(events)).isEqualTo(count);
        return events.stream().map(OutboxEvent::id).toList();
    }
}
