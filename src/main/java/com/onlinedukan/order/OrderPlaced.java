package com.onlinedukan.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The outbox event written with every new order. It carries what a notification needs, so
 * consumers never read the order tables; its JSON form is the contract with them.
 */
public record OrderPlaced(
        UUID orderId,
        String customerName,
        String customerPhone,
        List<Line> items,
        BigDecimal total,
        String comment,
        Instant placedAt) {

    public static final String TYPE = "OrderPlaced";
    public static final String AGGREGATE_TYPE = "Order";

    public record Line(String sku, String name, int quantity, BigDecimal unitPrice) {
    }

    static OrderPlaced of(Order order) {
        return new OrderPlaced(order.id(), order.customer().name(), order.customer().phone(),
                order.lines().stream().map(l -> new Line(l.sku(), l.name(), l.quantity(), l.unitPrice())).toList(),
                order.total(), order.comment(), order.createdAt());
    }
}
