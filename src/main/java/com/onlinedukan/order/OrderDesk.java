package com.onlinedukan.order;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.onlinedukan.order.Order.Customer;
import com.onlinedukan.order.Order.OrderLine;
import com.onlinedukan.outbox.Outbox;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Where orders are placed and looked up. Placing writes the order and its {@link OrderPlaced}
 * event in one transaction: both commit, or neither does.
 */
@Service
public class OrderDesk {

    private final Orders orders;
    private final Outbox outbox;
    private final Clock clock;

    OrderDesk(Orders orders, Outbox outbox, Clock clock) {
        this.orders = orders;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * Places an order: the order, its lines and its {@link OrderPlaced} event go to PostgreSQL as one
     * statement in one round trip ({@link Outbox#appendWith}), in the caller's transaction if there is
     * one, else in one of their own.
     */
    public Order place(Customer customer, List<OrderLine> lines, String comment) {
        Order order = Order.place(customer, lines, comment, clock.instant().truncatedTo(ChronoUnit.MICROS));
        outbox.appendWith(OrderRows.insert(order), OrderPlaced.AGGREGATE_TYPE, order.id().toString(), OrderPlaced.TYPE,
                OrderPlaced.of(order));
        return order;
    }

    @Transactional(readOnly = true)
    public Optional<Order> find(UUID id) {
        return orders.findById(id);
    }
}
