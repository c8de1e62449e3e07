package com.onlinedukan.order.web;

import java.net.URI;
import java.util.UUID;

import com.onlinedukan.notification.Notifications;
import com.onlinedukan.order.Order;
import com.onlinedukan.order.OrderDesk;
import jakarta.validation.Valid;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import static org.springframework.http.HttpStatus.NOT_FOUND;

@RestController
@RequestMapping(path = "/api/orders", produces = MediaType.APPLICATION_JSON_VALUE)
class OrderController {

    private final OrderDesk desk;
    private final Notifications notifications;

    OrderController(OrderDesk desk, Notifications notifications) {
        this.desk = desk;
        this.notifications = notifications;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<OrderResponse> place(@Valid @RequestBody PlaceOrderRequest request) {
        Order order = desk.place(
                new Order.Customer(request.customer().name().strip(), request.customer().phone().strip()),
                request.items().stream()
                        .map(i -> new Order.OrderLine(i.sku().strip(), i.name().strip(), i.quantity(), i.unitPrice()))
                        .toList(),
                request.comment());
        return ResponseEntity.created(URI.create("/api/orders/" + order.id()))
                .body(OrderResponse.of(order, notifications.statusOf(order.id())));
    }

    @GetMapping("/{id}")
    OrderResponse find(@PathVariable UUID id) {
        Order order = desk.find(id).orElseThrow(() -> new ResponseStatusException(NOT_FOUND, "No order " + id));
        return OrderResponse.of(order, notifications.statusOf(id));
    }
}
