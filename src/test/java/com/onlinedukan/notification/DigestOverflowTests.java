package com.onlinedukan.notification;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.onlinedukan.outbox.OutboxEvent;
import com.onlinedukan.support.DownstreamModuleTest;
import com.onlinedukan.support.DukanTestContext.TestDatabase;
import com.onlinedukan.telegram.TelegramSender;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a digest could not hold is sent at once, not at the next poll: the sender that gave it back
 * claims again straight away (a sender otherwise waits for a wake-up after a claim that was not
 * full). One sender and a poll of 5 s, so a send that waited for the poll is plain to see.
 */
@DownstreamModuleTest
@TestPropertySource(properties = {
        "dukan.notification.senders=1",
        "dukan.notification.retry-poll-interval=5s" })
class DigestOverflowTests {

    private static final Duration POLL = Duration.ofSeconds(5);

    @TestBean(methodName = "scriptedTelegram")
    TelegramSender telegram;

    @Autowired
    DeliveryLedger ledger;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestDatabase database;

    static TelegramSender scriptedTelegram() {
        return new DeliveryStateMachineTests.ScriptedTelegram();
    }

    /** A module test of the notifier starts no Debezium engine: nothing holds a replication slot for its database. */
    @Test
    void noRelayRunsInTheNotifiersModuleTest() {
        assertThat(jdbc.sql("SELECT count(*) FROM pg_replication_slots WHERE database = current_database()")
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM pg_replication_slots WHERE slot_name = :slot")
                .param("slot", database.slotName()).query(Long.class).single()).isZero();
    }

    @Test
    void whatADigestCouldNotHoldIsSentAtOnceNotAtTheNextPoll() {
        // 45 orders in one claim (not a full one: a claim takes up to 50), each digest line about
        // 110 characters, so Telegram's 4,096 hold about 37 of them and the rest is given back.
        List<OutboxEvent> events = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            UUID order = UUID.randomUUID();
            String payload = "{\"orderId\":\"" + order + "\",\"customerName\":\"" + "Customer with a long name ".repeat(2)
                    + "\",\"customerPhone\":\"+1\",\"items\":[{\"sku\":\"A\",\"name\":\"A\",\"quantity\":1,"
                    + "\"unitPrice\":2.50}],\"total\":2.50}";
            events.add(new OutboxEvent(UUID.randomUUID(), "Order", order.toString(), "OrderPlaced", payload,
                    Instant.now(), null));
        }
        ledger.register(events);

        await().atMost(POLL.multipliedBy(4)).until(() -> jdbc.sql(
                "SELECT count(*) FROM notification WHERE order_id IN (:ids) AND status = 'DELIVERED'")
                .param("ids", events.stream().map(e -> UUID.fromString(e.aggregateId())).toList())
                .query(Long.class).single() == events.size());

        List<Long> sends = ((DeliveryStateMachineTests.ScriptedTelegram) telegram).sentAtNanos();
        assertThat(sends).as("the 45 orders needed more than one digest").hasSizeGreaterThan(1);
        for (int i = 1; i < sends.size(); i++) {
            assertThat(Duration.ofNanos(sends.get(i) - sends.get(i - 1)))
                    .as("send %d followed send %d at once, not at the next poll (%s)", i + 1, i, POLL)
                    .isLessThan(POLL.dividedBy(3));
        }
    }
}
