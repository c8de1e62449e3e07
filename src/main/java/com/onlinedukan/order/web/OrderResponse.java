package com.onlinedukan.order.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.onlinedukan.order.Order;
import com.onlinedukan.order.OrderAspect;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * An order as customers see it, with what downstream modules add about it (its staff
 * notification) under their own names.
 */
record OrderResponse(
        UUID id,
        String status,
        BigDecimal total,
        Instant createdAt,
        Customer customer,
        List<Item> items,
        String comment,
        @JsonAnyGetter Map<String, Object> aspects) {

    @Schema(name = "OrderCustomer")
    record Customer(String name, String phone) {
    }

    @Schema(name = "OrderItem")
    record Item(String sku, String name, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {
    }

    static OrderResponse of(Order order, List<OrderAspect> aspects, Function<OrderAspect, Object> value) {
        Map<String, Object> parts = new LinkedHashMap<>();
        aspects.forEach(aspect -> parts.put(aspect.name(), value.apply(aspect)));
        return new OrderResponse(order.id(), order.status().name(), order.total(), order.createdAt(),
                new Customer(order.customer().name(), order.customer().phone()),
                order.lines().stream()
                        .map(l -> new Item(l.sku(), l.name(), l.quantity(), l.unitPrice(), l.lineTotal()))
                        .toList(),
                order.comment(), parts);
    }
}
