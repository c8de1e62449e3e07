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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

    /**
     * The inbox claims what it registers in the registering statement while a sender is idle. Such a
     * claim is one like any other: however many senders claim at once beside it, no row is held by
     * two claims, and every row ends up claimed exactly once; an entry the stream brings again is
     * not new, so it is neither registered nor claimed a second time.
     */
    @Test
    void claimsMadeAtRegistrationAndSendersClaimingBesideThemNeverHoldOneNotificationTwice() throws Exception {
        int senders = 4;
        int batches = 60;
        Map<UUID, String> holder = new ConcurrentHashMap<>();
        Set<UUID> claimedTwice = ConcurrentHashMap.newKeySet();
        Set<UUID> registered = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean inboxDone = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(senders + 1);
        try {
            List<Future<?>> work = new ArrayList<>();
            work.add(pool.submit(() -> {
                start.await();
                for (int batch = 0; batch < batches; batch++) {
                    List<OutboxEvent> events = events(10);
                    events.forEach(e -> registered.add(e.id()));
                    // Half the batches as the inbox registers while no sender is idle: unclaimed.
                    List<Claim> claims = batch % 2 == 0
                            ? ledger.registerClaimed(events, "inbox", Duration.ofMinutes(10)).claims()
                            : List.of();
                    if (batch % 2 != 0) {
                        ledger.register(events);
                    }
                    for (Claim claim : claims) {
                        if (holder.putIfAbsent(claim.eventId(), "inbox") != null) {
                            claimedTwice.add(claim.eventId());
                        }
                    }
                    // The stream brings the batch again: nothing new, nothing claimed.
                    DeliveryLedger.Registered again = ledger.registerClaimed(events, "inbox", Duration.ofMinutes(10));
                    assertThat(again.claims()).as("claims of a batch registered before").isEmpty();
                    assertThat(again.unclaimed()).as("new rows in a batch registered before").isZero();
                }
                inboxDone.set(true);
                return null;
            }));
            for (int i = 0; i < senders; i++) {
                String sender = "sender-" + i;
                work.add(pool.submit(() -> {
                    start.await();
                    while (true) {
                        boolean last = inboxDone.get();
                        List<Claim> batch = ledger.claimDueWhilePaused(sender, Duration.ofMinutes(10), 7);
                        for (Claim claim : batch) {
                            if (holder.putIfAbsent(claim.eventId(), sender) != null) {
                                claimedTwice.add(claim.eventId());
                            }
                        }
                        if (batch.isEmpty() && last) {
                            return null;
                        }
                    }
                }));
            }
            start.countDown();
            for (Future<?> future : work) {
                future.get(60, TimeUnit.SECONDS);
            }
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(claimedTwice).as("notifications held by two claims at once").isEmpty();
        assertThat(holder.keySet()).as("every registered notification claimed").containsAll(registered);
        assertThat(holder.values()).as("claims made at registration").contains("inbox");
        assertThat(holder.entrySet().stream()
                .filter(held -> registered.contains(held.getKey()) && held.getValue().startsWith("sender-")).count())
                .as("rows registered unclaimed, claimed by senders").isEqualTo(batches / 2 * 10);
    }

    /** A claim made at registration moves its rows under its own token, as any claim does. */
    @Test
    void aClaimMadeAtRegistrationMovesItsRowsUnderItsOwnToken() {
        List<OutboxEvent> events = events(3);
        List<Claim> claims = ledger.registerClaimed(events, "inbox", Duration.ofMinutes(10)).claims();
        assertThat(claims).extracting(Claim::eventId).containsExactlyElementsOf(events.stream().map(OutboxEvent::id).toList());
        assertThat(claims).extracting(Claim::attempts).containsOnly(0);
        assertThat(claims).extracting(Claim::token).containsOnly(claims.get(0).token());
        assertThat(ledger.claimDueWhilePaused("sender-a", Duration.ofMinutes(10), 1000))
                .extracting(Claim::eventId).doesNotContainAnyElementsOf(claims.stream().map(Claim::eventId).toList());

        assertThat(ledger.delivered(claims, 7)).isEqualTo(3);
        assertThat(jdbc.sql("SELECT count(*) FROM notification WHERE event_id IN (:ids) AND status = 'DELIVERED' "
                + "AND lease_token IS NULL").param("ids", claims.stream().map(Claim::eventId).toList())
                .query(Integer.class).single()).isEqualTo(3);
    }

    /**
     * A pause committed before the registering statement stops its claim as it stops every other
     * (the same statement reads the pause): the rows are recorded, unclaimed, and claimed after the resume.
     */
    @Test
    void aPauseCommittedBeforeTheRegisteringStatementLeavesTheNewRowsUnclaimed() {
        jdbc.sql("UPDATE delivery_control SET paused = true").update();
        List<OutboxEvent> events = events(4);
        DeliveryLedger.Registered registered;
        try {
            registered = ledger.registerClaimed(events, "inbox", Duration.ofMinutes(10));
            assertThat(ledger.claimDue("sender-a", Duration.ofMinutes(10), 1000)).as("claims while paused").isEmpty();
        }
        finally {
            jdbc.sql("UPDATE delivery_control SET paused = false").update();
        }
        assertThat(registered.claims()).isEmpty();
        assertThat(registered.unclaimed()).isEqualTo(4);
        assertThat(jdbc.sql("SELECT count(*) FROM notification WHERE event_id IN (:ids) AND status = 'PENDING' "
                + "AND lease_owner IS NULL").param("ids", events.stream().map(OutboxEvent::id).toList())
                .query(Integer.class).single()).isEqualTo(4);
        assertThat(ledger.claimDue("sender-a", Duration.ofMinutes(10), 1000)).extracting(Claim::eventId)
                .containsAll(events.stream().map(OutboxEvent::id).toList());
    }

    private static List<OutboxEvent> events(int count) {
        List<OutboxEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(new OutboxEvent(UUID.randomUUID(), "Order", UUID.randomUUID().toString(), "OrderPlaced", "{}",
                    Instant.now(), null));
        }
        return events;
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
