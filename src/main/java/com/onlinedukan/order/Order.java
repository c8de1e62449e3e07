package com.onlinedukan.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Embedded;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;

/**
 * An order a customer placed: who, what, and the total computed from the lines.
 */
@Table("orders")
public record Order(
        @Id UUID id,
        @Version Long version,
        @Embedded.Nullable(prefix = "customer_") Customer customer,
        @MappedCollection(idColumn = "order_id", keyColumn = "line_no") List<OrderLine> lines,
        String comment,
        BigDecimal total,
        OrderStatus status,
        Instant createdAt) {

    public record Customer(String name, String phone) {
    }

    @Table("order_item")
    public record OrderLine(String sku, String name, int quantity, BigDecimal unitPrice) {

        public BigDecimal lineTotal() {
            return unitPrice.multiply(BigDecimal.valueOf(quantity));
        }
    }

    /** A new order as it is stored: version 0, the total computed from the lines. */
    static Order place(Customer customer, List<OrderLine> lines, String comment, Instant now) {
        BigDecimal total = lines.stream().map(OrderLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new Order(UUID.randomUUID(), 0L, customer, List.copyOf(lines), comment, total, OrderStatus.PLACED, now);
    }
}
