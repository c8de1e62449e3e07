package com.onlinedukan.order;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import com.onlinedukan.outbox.Outbox;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An order and its event commit together or not at all, in a transaction or without one. A module
 * test ({@link OrderModuleTest}): the order and outbox modules on PostgreSQL, nothing downstream.
 */
@OrderModuleTest
class OrderTransactionTests {

    @Autowired
    OrderDesk desk;

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

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

        // No outbox row, so nothing for the relay to decode (OrderPipelineTests follows one to Telegram).
        assertThat(count("SELECT count(*) FROM orders WHERE id = ?", rolledBack)).isZero();
        assertThat(count("SELECT count(*) FROM order_item WHERE order_id = ?", rolledBack)).isZero();
        assertThat(count("SELECT count(*) FROM outbox WHERE aggregateid = ?", rolledBack.toString())).isZero();
    }

    @Test
    void outboxRefusesToWriteOutsideATransaction() {
        assertThatThrownBy(() -> outbox.append("Order", "x", "OrderPlaced", java.util.Map.of()))
                .isInstanceOf(IllegalTransactionStateException.class);
    }

    @Test
    void withoutATransactionAnOrderWhoseEventFailsIsNotStored() {
        Order order = order("Event fails");

        // No transaction here: the order's INSERTs and the outbox's go as one statement, one implicit transaction.
        assertThatThrownBy(() -> outbox.appendWith(OrderRows.insert(order), null, order.id().toString(),
                OrderPlaced.TYPE, java.util.Map.of()))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(count("SELECT count(*) FROM orders WHERE id = ?", order.id())).isZero();
        assertThat(count("SELECT count(*) FROM order_item WHERE order_id = ?", order.id())).isZero();
    }

    @Test
    void withoutATransactionAChangeThatFailsLeavesNoEvent() {
        Order order = order("Change fails");
        // The order row goes in; its lines repeat a line number, so the second statement fails.
        var rows = OrderRows.insert(order);
        var failing = new Outbox.Change(rows.sql().replace(":line1", ":line0"), rows.params());

        assertThatThrownBy(() -> outbox.appendWith(failing, OrderPlaced.AGGREGATE_TYPE, order.id().toString(),
                OrderPlaced.TYPE, java.util.Map.of()))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(count("SELECT count(*) FROM orders WHERE id = ?", order.id())).isZero();
        assertThat(count("SELECT count(*) FROM outbox WHERE aggregateid = ?", order.id().toString())).isZero();
    }

    @Test
    void theOutboxsParameterNamesAreItsOwn() {
        assertThatThrownBy(() -> new Outbox.Change("SELECT :outbox_id", java.util.Map.of("outbox_id", 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Order order(String name) {
        return Order.place(customer(name), List.of(
                new Order.OrderLine("TEA-001", "Green tea", 2, new BigDecimal("12.50")),
                new Order.OrderLine("TEA-002", "Black tea", 1, new BigDecimal("9.00"))), null,
                java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
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
