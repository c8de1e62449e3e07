package com.onlinedukan.order;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.repository.Repository;

/** The orders placed in the shop: written by {@link OrderDesk#place} ({@link OrderRows}), read by Spring Data JDBC. */
interface Orders extends Repository<Order, UUID> {

    Optional<Order> findById(UUID id);
}
