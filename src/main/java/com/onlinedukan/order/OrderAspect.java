package com.onlinedukan.order;

import java.util.UUID;

/**
 * What a downstream module knows about an order and shows under its own name in
 * {@code GET /api/orders/{id}} (the notification's state, say). The order module asks only when
 * an order is read; a just-placed order shows {@link #ofNewOrder()} without asking anyone.
 */
public interface OrderAspect {

    /** The field name in the order's JSON. */
    String name();

    /** What {@link #ofNewOrder()} and {@link #of(UUID)} return, for the API's documentation. */
    Class<?> type();

    /** The aspect of an order that was placed a moment ago. */
    Object ofNewOrder();

    /** The aspect of an existing order now. */
    Object of(UUID orderId);
}
