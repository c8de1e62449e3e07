/**
 * Placing and reading orders; an order and its {@code OrderPlaced} outbox event commit together.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Order", allowedDependencies = { "outbox", "web" })
package com.onlinedukan.order;
