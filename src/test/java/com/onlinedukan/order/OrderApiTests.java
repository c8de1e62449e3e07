package com.onlinedukan.order;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.onlinedukan.support.Orders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The customer-facing order API: idempotent under retries, strict with bad input. A module test
 * ({@link OrderModuleTest}): what the order module answers and stores, without the pipeline behind
 * it; that an order reaches Telegram once, escaped, is {@code OrderPipelineTests}'.
 */
@OrderModuleTest
class OrderApiTests {

    static final String VALID = Orders.order("Aziz Karimov", "Call before delivery", "TEA-001");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Orders orders;

    @BeforeEach
    void setUp() {
        orders = new Orders(port);
    }

    @Test
    void repeatedKeyWithTheSameBodyReturnsTheFirstOrderAndStoresOneEvent() {
        String key = "retry-" + UUID.randomUUID();
        Orders.Response first = orders.send(orders.post(VALID).header("Idempotency-Key", key));
        Orders.Response again = orders.send(orders.post(VALID).header("Idempotency-Key", key));

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.raw().body()).isEqualTo(first.raw().body());
        assertThat(again.raw().headers().firstValue("Location")).isEqualTo(first.raw().headers().firstValue("Location"));
        assertThat(again.raw().headers().firstValue("Idempotent-Replayed")).hasValue("true");
        Orders.Response third = orders.send(orders.post(VALID).header("Idempotency-Key", key));
        assertThat(third.id()).isEqualTo(first.id());
        assertThat(count("SELECT count(*) FROM outbox WHERE aggregateid = ?", first.id())).isEqualTo(1);
    }

    @Test
    void sameKeyWithADifferentBodyIsUnprocessable() {
        String key = "reuse-" + UUID.randomUUID();
        Orders.Response first = orders.send(orders.post(VALID).header("Idempotency-Key", key));
        long ordersBefore = count("SELECT count(*) FROM orders");

        Orders.Response other = orders.send(orders.post(Orders.order("Someone else", null, "RICE")).header("Idempotency-Key", key));

        assertThat(first.status()).isEqualTo(201);
        assertThat(other.status()).isEqualTo(422);
        assertProblem(other, "Idempotency-Key");
        assertThat(other.body().get("type").asString()).isEqualTo("/problems/idempotency-key-mismatch");
        assertThat(count("SELECT count(*) FROM orders")).isEqualTo(ordersBefore);
    }

    @Test
    void twentyConcurrentRequestsWithOneKeyCreateOneOrder() throws Exception {
        String key = "burst-" + UUID.randomUUID();
        String body = Orders.order("Concurrent " + key, null, "TEA-001");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Orders.Response>> requests = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                requests.add(() -> orders.send(orders.post(body).header("Idempotency-Key", key)));
            }
            List<Orders.Response> responses = new ArrayList<>();
            for (Future<Orders.Response> f : pool.invokeAll(requests)) {
                responses.add(f.get());
            }
            assertThat(responses).extracting(Orders.Response::status).containsOnly(201);
            Set<String> ids = responses.stream().map(Orders.Response::id).collect(Collectors.toSet());
            assertThat(ids).hasSize(1);
            assertThat(count("SELECT count(*) FROM orders WHERE customer_name = ?", "Concurrent " + key)).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM outbox WHERE aggregateid = ?", ids.iterator().next())).isEqualTo(1);
        }
        finally {
            pool.shutdownNow();
        }
    }

    static Stream<Arguments> badOrders() {
        String item = "{\"sku\":\"A\",\"name\":\"A\",\"quantity\":1,\"unitPrice\":1.00}";
        String customer = "\"customer\":{\"name\":\"Aziz\",\"phone\":\"+998901234567\"}";
        return Stream.of(
                Arguments.of("no customer", "{\"items\":[" + item + "]}", "customer"),
                Arguments.of("no items", "{" + customer + ",\"items\":[]}", "items"),
                Arguments.of("101 items", "{" + customer + ",\"items\":[" + String.join(",", java.util.Collections.nCopies(101, item)) + "]}", "items"),
                Arguments.of("quantity 0", "{" + customer + ",\"items\":[{\"sku\":\"A\",\"name\":\"A\",\"quantity\":0,\"unitPrice\":1}]}", "items[0].quantity"),
                Arguments.of("quantity 1001", "{" + customer + ",\"items\":[{\"sku\":\"A\",\"name\":\"A\",\"quantity\":1001,\"unitPrice\":1}]}", "items[0].quantity"),
                Arguments.of("fractional quantity", "{" + customer + ",\"items\":[{\"sku\":\"A\",\"name\":\"A\",\"quantity\":1.5,\"unitPrice\":1}]}", "items[0].quantity"),
                Arguments.of("zero price", "{" + customer + ",\"items\":[{\"sku\":\"A\",\"name\":\"A\",\"quantity\":1,\"unitPrice\":0}]}", "items[0].unitPrice"),
                Arguments.of("negative price", "{" + customer + ",\"items\":[{\"sku\":\"A\",\"name\":\"A\",\"quantity\":1,\"unitPrice\":-5}]}", "items[0].unitPrice"),
                Arguments.of("three decimals", "{" + customer + ",\"items\":[{\"sku\":\"A\",\"name\":\"A\",\"quantity\":1,\"unitPrice\":1.005}]}", "items[0].unitPrice"),
                Arguments.of("price not a number", "{" + customer + ",\"items\":[{\"sku\":\"A\",\"name\":\"A\",\"quantity\":1,\"unitPrice\":\"abc\"}]}", "items[0].unitPrice"),
                Arguments.of("blank name", "{\"customer\":{\"name\":\"  \",\"phone\":\"+998901234567\"},\"items\":[" + item + "]}", "customer.name"),
                Arguments.of("long name", "{\"customer\":{\"name\":\"" + "n".repeat(201) + "\",\"phone\":\"+998901234567\"},\"items\":[" + item + "]}", "customer.name"),
                Arguments.of("control character", "{\"customer\":{\"name\":\"A\\u0000B\",\"phone\":\"+998901234567\"},\"items\":[" + item + "]}", "customer.name"),
                Arguments.of("bidi override in the name", "{\"customer\":{\"name\":\"Aziz\\u202E00.0001\",\"phone\":\"+998901234567\"},\"items\":[" + item + "]}", "customer.name"),
                Arguments.of("bidi isolate in a sku", "{" + customer + ",\"items\":[{\"sku\":\"A\\u2067B\",\"name\":\"A\",\"quantity\":1,\"unitPrice\":1}]}", "items[0].sku"),
                Arguments.of("zero-width space in an item name", "{" + customer + ",\"items\":[{\"sku\":\"A\",\"name\":\"Te\\u200Ba\",\"quantity\":1,\"unitPrice\":1}]}", "items[0].name"),
                Arguments.of("right-to-left mark in the comment", "{" + customer + ",\"items\":[" + item + "],\"comment\":\"ring\\n\\u200Ftwice\"}", "comment"),
                Arguments.of("bidi override in the phone", "{\"customer\":{\"name\":\"A\",\"phone\":\"+99890\\u202E1234567\"},\"items\":[" + item + "]}", "customer.phone"),
                Arguments.of("C1 control in the name", "{\"customer\":{\"name\":\"A\\u0085B\",\"phone\":\"+998901234567\"},\"items\":[" + item + "]}", "customer.name"),
                Arguments.of("bad phone", "{\"customer\":{\"name\":\"A\",\"phone\":\"call me\"},\"items\":[" + item + "]}", "customer.phone"),
                Arguments.of("long comment", "{" + customer + ",\"items\":[" + item + "],\"comment\":\"" + "c".repeat(5001) + "\"}", "comment"),
                Arguments.of("unknown field", "{" + customer + ",\"items\":[" + item + "],\"coupon\":\"FREE\"}", "coupon"),
                Arguments.of("malformed JSON", "{" + customer + ",\"items\":[", "body"),
                Arguments.of("empty body", "", "body"),
                Arguments.of("array body", "[1,2]", "body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOrders")
    void badInputIsRejectedNamingTheFieldAndStoresNothing(String why, String body, String field) {
        long ordersBefore = count("SELECT count(*) FROM orders");
        long eventsBefore = count("SELECT count(*) FROM outbox");

        Orders.Response rejected = orders.send(orders.post(body).header("Idempotency-Key", "bad-" + UUID.randomUUID()));

        assertThat(rejected.status()).as(why).isEqualTo(400);
        assertProblem(rejected, field);
        assertThat(count("SELECT count(*) FROM orders")).isEqualTo(ordersBefore);
        assertThat(count("SELECT count(*) FROM outbox")).isEqualTo(eventsBefore);
        assertThat(count("SELECT count(*) FROM idempotency_key WHERE key LIKE 'bad-%'")).isZero();
    }

    @Test
    void oversizedBodyIsContentTooLarge() {
        String huge = "{\"comment\":\"" + "x".repeat(70_000) + "\"}";

        Orders.Response rejected = orders.send(orders.post(huge));

        assertThat(rejected.status()).isEqualTo(413);
        assertThat(rejected.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void oversizedChunkedBodyIsContentTooLarge() {
        byte[] huge = ("{\"comment\":\"" + "x".repeat(70_000) + "\"}").getBytes();
        var chunked = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge)));

        Orders.Response rejected = orders.send(chunked);

        assertThat(rejected.status()).isEqualTo(413);
        assertThat(rejected.body().get("type").asString()).isEqualTo("/problems/payload-too-large");
    }

    static Stream<Arguments> errors() {
        String item = "{\"sku\":\"A\",\"name\":\"A\",\"quantity\":0,\"unitPrice\":1.00}";
        String customer = "\"customer\":{\"name\":\"Aziz\",\"phone\":\"+998901234567\"}";
        String json = "application/json";
        String unknown = "/api/orders/" + UUID.randomUUID();
        return Stream.of(
                Arguments.of("a field breaks a rule", "POST", "/api/orders", json, "{" + customer + ",\"items\":[" + item + "]}",
                        null, 400, "/problems/validation"),
                Arguments.of("not JSON", "POST", "/api/orders", json, "{\"customer\":", null, 400, "/problems/malformed-request"),
                Arguments.of("an unknown field", "POST", "/api/orders", json, "{\"coupon\":\"FREE\"}", null, 400,
                        "/problems/malformed-request"),
                Arguments.of("a malformed order id", "GET", "/api/orders/not-a-uuid", null, null, null, 400,
                        "/problems/malformed-request"),
                Arguments.of("an Idempotency-Key too long", "POST", "/api/orders", json, VALID, "k".repeat(256), 400,
                        "/problems/invalid-idempotency-key"),
                Arguments.of("an unknown order", "GET", unknown, null, null, null, 404, "/problems/not-found"),
                Arguments.of("an unknown path", "GET", "/api/nothing-here", null, null, null, 404, "/problems/not-found"),
                Arguments.of("a method the path does not take", "DELETE", "/api/orders", null, null, null, 405,
                        "/problems/method-not-allowed"),
                Arguments.of("a body over the limit", "POST", "/api/orders", json, "{\"comment\":\"" + "x".repeat(70_000) + "\"}",
                        null, 413, "/problems/payload-too-large"),
                Arguments.of("a body that is not JSON", "POST", "/api/orders", "text/plain", VALID, null, 415,
                        "/problems/unsupported-media-type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void everyKindOfErrorNamesItsProblemType(String why, String method, String path, String contentType, String body,
            String idempotencyKey, int status, String type) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }

        Orders.Response rejected = orders.send(request);

        assertThat(rejected.status()).as(why).isEqualTo(status);
        assertThat(rejected.raw().headers().firstValue("Content-Type")).as(why).hasValueSatisfying(
                value -> assertThat(value).startsWith("application/problem+json"));
        assertThat(rejected.body().get("type").asString()).as(why).isEqualTo(type);
        assertThat(rejected.body().get("status").asInt()).as(why).isEqualTo(status);
        assertThat(rejected.body().get("title").asString()).as(why).isNotBlank();
    }

    @Test
    void wrongContentTypeIsUnsupported() {
        Orders.Response rejected = orders.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/orders"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(VALID)));

        assertThat(rejected.status()).isEqualTo(415);
        assertThat(rejected.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void malformedIdempotencyKeyIsRejected() {
        assertThat(orders.send(orders.post(VALID).header("Idempotency-Key", "k".repeat(256))).status()).isEqualTo(400);
        // java.net.http refuses to send such a header, so this one goes over a plain socket.
        assertThat(rawPost("Idempotency-Key: kl\u00fcch\r\n")).startsWith("HTTP/1.1 400");
    }

    @Test
    void aCustomerSeesTheOrdersItemsTotalAndState() {
        String id = orders.place(Orders.order("Reader", "ring twice", "TEA-001", "RICE-5KG")).id();

        Orders.Response order = orders.get(id);
        assertThat(order.status()).isEqualTo(200);
        assertThat(order.body().get("items")).hasSize(2);
        assertThat(order.body().get("items").get(1).get("sku").asString()).isEqualTo("RICE-5KG");
        assertThat(order.body().get("total").decimalValue()).isEqualByComparingTo("50.00");
        assertThat(order.body().get("status").asString()).isEqualTo("PLACED");
    }

    @Test
    void openApiDocumentsTheOrderApiAndItsErrors() {
        Orders.Response docs = orders.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v3/api-docs")).GET());

        assertThat(docs.status()).isEqualTo(200);
        var post = docs.body().get("paths").get("/api/orders").get("post");
        assertThat(post.get("responses").propertyNames()).contains("201", "400", "413", "415", "422");
        assertThat(orders.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/swagger-ui/index.html")).GET())
                .status()).isEqualTo(200);
    }

    private String rawPost(String extraHeader) {
        byte[] body = VALID.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (var socket = new java.net.Socket("localhost", port)) {
            var out = socket.getOutputStream();
            out.write(("POST /api/orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n" + extraHeader + "\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void assertProblem(Orders.Response response, String field) {
        assertThat(response.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body().get("status").asInt()).isEqualTo(response.status());
        assertThat(response.body().get("title").asString()).isNotBlank();
        assertThat(response.body().get("errors").findValuesAsString("field")).contains(field);
    }

    private long count(String sql, Object... args) {
        var spec = jdbc.sql(sql);
        for (Object arg : args) {
            spec = spec.param(arg);
        }
        return spec.query(Long.class).single();
    }
}
