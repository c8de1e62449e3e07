package com.onlinedukan.order.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import com.onlinedukan.order.IdempotencyKeys;
import com.onlinedukan.order.IdempotencyKeys.StoredResponse;
import com.onlinedukan.order.Order;
import com.onlinedukan.order.OrderAspect;
import com.onlinedukan.order.OrderDesk;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@Tag(name = "Orders", description = "Placing and reading orders")
@RestController
@RequestMapping(path = "/api/orders", produces = MediaType.APPLICATION_JSON_VALUE)
class OrderController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";

    private final OrderDesk desk;
    private final List<OrderAspect> aspects;
    private final IdempotencyKeys idempotencyKeys;
    private final JsonMapper json;

    OrderController(OrderDesk desk, List<OrderAspect> aspects, IdempotencyKeys idempotencyKeys, JsonMapper json) {
        this.desk = desk;
        this.aspects = aspects;
        this.idempotencyKeys = idempotencyKeys;
        this.json = json;
    }

    @Operation(summary = "Place an order",
            description = "Stores the order and its notification event in one transaction and answers at once; "
                    + "the staff's Telegram message follows asynchronously.")
    @ApiResponse(responseCode = "201", description = "Placed (or, with a repeated Idempotency-Key, the first response replayed)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = OrderResponse.class)))
    @ApiResponse(responseCode = "400", description = "Invalid or malformed order, or a malformed Idempotency-Key",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "408", description = "The body did not arrive within dukan.orders.body-deadline; the connection is closed",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "413", description = "Request body too large",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "415", description = "Content type is not application/json",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "The Idempotency-Key was used with a different body",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> place(
            @Parameter(description = "Makes retries safe: a repeat with the same key and body returns the first "
                    + "response and creates nothing. 1–255 printable ASCII characters.", example = "order-7f3a2c")
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @Valid @RequestBody PlaceOrderRequest request) {
        if (idempotencyKey == null) {
            return created(placeOrder(request), false);
        }
        InvalidIdempotencyKeyException.check(idempotencyKey);
        var outcome = idempotencyKeys.once(idempotencyKey, hash(request), () -> placeOrder(request));
        return created(outcome.response(), outcome.replayed());
    }

    private StoredResponse placeOrder(PlaceOrderRequest request) {
        Order order = desk.place(
                new Order.Customer(request.customer().name().strip(), request.customer().phone().strip()),
                request.items().stream()
                        .map(i -> new Order.OrderLine(i.sku().strip(), i.name().strip(), i.quantity(), i.unitPrice()))
                        .toList(),
                request.comment());
        // Nothing downstream can know of an order that is not committed yet: ask nobody.
        String body = json.writeValueAsString(OrderResponse.of(order, aspects, OrderAspect::ofNewOrder));
        return new StoredResponse(order.id(), HttpStatus.CREATED.value(), body);
    }

    private static ResponseEntity<String> created(StoredResponse response, boolean replayed) {
        var builder = ResponseEntity.status(response.status())
                .location(URI.create("/api/orders/" + response.orderId()))
                .contentType(MediaType.APPLICATION_JSON);
        if (replayed) {
            builder.header(REPLAYED, "true");
        }
        return builder.body(response.body());
    }

    private String hash(PlaceOrderRequest request) {
        try {
            byte[] canonical = json.writeValueAsString(request).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    @Operation(summary = "Read an order", description = "The order with the state of its staff notification.")
    @ApiResponse(responseCode = "200", description = "The order")
    @ApiResponse(responseCode = "400", description = "The id is not a UUID",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "No such order",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @GetMapping("/{id}")
    OrderResponse find(@PathVariable UUID id) {
        Order order = desk.find(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No order " + id));
        return OrderResponse.of(order, aspects, aspect -> aspect.of(id));
    }
}
