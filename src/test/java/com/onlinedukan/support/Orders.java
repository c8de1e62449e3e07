package com.onlinedukan.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A customer's HTTP client for the order API, as tests drive it. */
public final class Orders {

    private static final JsonMapper json = JsonMapper.builder().build();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    public Orders(int port) {
        this.base = "http://localhost:" + port;
    }

    public record Response(int status, JsonNode body, HttpResponse<String> raw) {

        public String id() {
            return body.get("id").asString();
        }
    }

    public static String order(String customerName, String comment, String... skus) {
        StringBuilder items = new StringBuilder();
        for (String sku : skus) {
            items.append(items.isEmpty() ? "" : ",")
                    .append("{\"sku\":\"").append(sku).append("\",\"name\":\"Item ").append(sku)
                    .append("\",\"quantity\":2,\"unitPrice\":12.50}");
        }
        return "{\"customer\":{\"name\":" + json.writeValueAsString(customerName) + ",\"phone\":\"+998901234567\"},"
                + "\"items\":[" + items + "]"
                + (comment == null ? "" : ",\"comment\":" + json.writeValueAsString(comment)) + "}";
    }

    public Response place(String body) {
        return send(post(body));
    }

    /** The same, as a client retrying under one {@code Idempotency-Key} sends it. */
    public Response place(String body, String idempotencyKey) {
        return send(post(body).header("Idempotency-Key", idempotencyKey));
    }

    /** A {@code POST /api/orders} of this body, to send with headers of the caller's own. */
    public HttpRequest.Builder post(String body) {
        return HttpRequest.newBuilder(URI.create(base + "/api/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /** Places {@code count} orders for customers named "{name} {i} {random}", each answered 201; their ids. */
    public List<String> placeMany(String name, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Response placed = place(order(name + " " + i + " " + UUID.randomUUID(), null, "A"));
            if (placed.status() != 201) {
                throw new AssertionError("placing an order answered " + placed.status() + ": " + placed.raw().body());
            }
            ids.add(placed.id());
        }
        return ids;
    }

    public Response get(String id) {
        return send(HttpRequest.newBuilder(URI.create(base + "/api/orders/" + id)).GET());
    }

    public Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            boolean isJson = response.headers().firstValue("Content-Type").map(t -> t.contains("json")).orElse(false);
            JsonNode body = isJson && !response.body().isBlank() ? json.readTree(response.body()) : null;
            return new Response(response.statusCode(), body, response);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
