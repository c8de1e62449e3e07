package com.onlinedukan.order.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.onlinedukan.notification.NotificationStatus;
import com.onlinedukan.order.Order;

/** An order as customers see it, with the state of its staff notification. */
record OrderResponse(
        UUID id,
        String status,
        BigDecimal total,
        Instant createdAt,
        Customer customer,
        List<Item> items,
        String comment,
        Notification notification) {

    record Customer(String name, String phone) {
    }

    record Item(String sku, String name, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {
    }

    record Notification(String status, int attempts, String lastError, Instant deliveredAt) {

        static Notification of(NotificationStatus status) {
            return new Notification(status.status().name(), status.attempts(), status.lastError(), status.deliveredAt());
        }
    }

    static OrderResponse of(Order order, NotificationStatus notification) {
        return new OrderResponse(order.id(), order.status().name(), order.total(), order.createdAt(),
                new Customer(order.customer().name(), order.customer().phone()),
                order.lines().stream()
                        .map(l -> new Item(l.sku(), l.name(), l.quantity(), l.unitPrice(), l.lineTotal()))
                        .toList(),
                order.comment(), Notification.of(notification));
    }
}
