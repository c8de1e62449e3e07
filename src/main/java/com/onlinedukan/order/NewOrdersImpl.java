package com.onlinedukan.order;

import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import org.springframework.jdbc.core.simple.JdbcClient;

/** The fragment behind {@link NewOrders}: one statement for the order, one for all its lines. */
class NewOrdersImpl implements NewOrders {

    private final JdbcClient jdbc;

    NewOrdersImpl(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Order insert(Order order) {
        Order stored = new Order(order.id(), 0L, order.customer(), order.lines(), order.comment(), order.total(),
                order.status(), order.createdAt());
        jdbc.sql("""
                INSERT INTO orders (id, version, customer_name, customer_phone, comment, total, status, created_at)
                VALUES (:id, :version, :name, :phone, :comment, :total, :status, :createdAt)
                """)
                .param("id", stored.id())
                .param("version", stored.version())
                .param("name", stored.customer().name())
                .param("phone", stored.customer().phone())
                .param("comment", stored.comment(), java.sql.Types.VARCHAR)
                .param("total", stored.total())
                .param("status", stored.status().name())
                .param("createdAt", Timestamp.from(stored.createdAt()))
                .update();
        insertLines(stored);
        return stored;
    }

    private void insertLines(Order order) {
        List<Order.OrderLine> lines = order.lines();
        if (lines.isEmpty()) {
            return;
        }
        StringJoiner rows = new StringJoiner(", ");
        Map<String, Object> params = new HashMap<>();
        params.put("orderId", order.id());
        for (int i = 0; i < lines.size(); i++) {
            Order.OrderLine line = lines.get(i);
            rows.add("(:orderId, :line" + i + ", :sku" + i + ", :name" + i + ", :quantity" + i + ", :unitPrice" + i + ")");
            params.put("line" + i, i);
            params.put("sku" + i, line.sku());
            params.put("name" + i, line.name());
            params.put("quantity" + i, line.quantity());
            params.put("unitPrice" + i, line.unitPrice());
        }
        jdbc.sql("INSERT INTO order_item (order_id, line_no, sku, name, quantity, unit_price) VALUES " + rows)
                .params(params)
                .update();
    }
}
