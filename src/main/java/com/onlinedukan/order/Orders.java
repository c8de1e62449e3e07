package com.onlinedukan.order;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.repository.Repository;

/** The orders placed in the shop: placed with {@link NewOrders#insert}, read by Spring Data JDBC. */
interface Orders extends Repository<Order, UUID>, NewOrders {

    Optional<Order> findById(UUID id);
}
