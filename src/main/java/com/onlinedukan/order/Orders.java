package com.onlinedukan.order;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.repository.Repository;

/** The orders placed in the shop. */
interface Orders extends Repository<Order, UUID> {

    Order save(Order order);

    Optional<Order> findById(UUID id);
}
