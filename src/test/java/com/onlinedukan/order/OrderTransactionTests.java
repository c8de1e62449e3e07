package com.onlinedukan.order;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.onlinedukan.outbox.Outbox;
import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.FakeBotApi;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@DukanTest
class OrderTransactionTests {

    @Autowired
    OrderDesk desk;

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    FakeBotApi telegram;

    @Autowired
    com.onlinedukan.relay.OutboxStream stream;

    @Test
    void orderAndItsEventCommitTogether() {
        Order order = desk.place(customer("Committed"), lines(), "ok");

        assertThat(count("SELECT count(*) FROM orders WHERE id = ?", order.id())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox WHERE aggregateid = ? AND type = 'OrderPlaced'",
                order.id().toString())).isEqualTo(1);
    }

    @Test
    void orderRolledBackLeavesNoEvent() {
        UUID rolledBack = transactions.execute(status -> {
            UUID id = desk.place(customer("Rolled back"), lines(), null).id();
            status.setRollbackOnly();
            return id;
        });
        String committed = desk.place(customer("Committed after"), lines(), null).id().toString();

        // The later, committed order travels the whole way; the rolled-back one never enters it.
        await().atMost(Duration.ofSeconds(20)).until(() -> !telegram.acceptedMentioning(committed).isEmpty());
        assertThat(count("SELECT count(*) FROM orders WHERE id = ?", rolledBack)).isZero();
        assertThat(count("SELECT count(*) FROM outbox WHERE aggregateid = ?", rolledBack.toString())).isZero();
        assertThat(redis.<String, String>opsForStream().range(stream.key(), Range.unbounded()))
                .noneMatch(entry -> rolledBack.toString().equals(entry.getValue().get("aggregateId")));
        assertThat(telegram.requestsMentioning(rolledBack.toString())).isEmpty();
    }

    @Test
    void outboxRefusesToWriteOutsideATransaction() {
        assertThatThrownBy(() -> outbox.append("Order", "x", "OrderPlaced", java.util.Map.of()))
                .isInstanceOf(IllegalTransactionStateException.class);
    }

    private long count(String sql, Object arg) {
        return jdbc.sql(sql).param(arg).query(Long.class).single();
    }

    private static Order.Customer customer(String name) {
        return new Order.Customer(name, "+998901234567");
    }

    private static List<Order.OrderLine> lines() {
        return List.of(new Order.OrderLine("TEA-001", "Green tea", 2, new BigDecimal("12.50")));
    }
}
