package com.onlinedukan.order;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import com.onlinedukan.OnlineDukanApplication;
import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.Orders;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random JSON, random shapes and near-valid orders thrown at {@code POST /api/orders}: the answer
 * is always 2xx or 4xx, never 5xx, and the service keeps taking valid orders.
 */
class OrderApiFuzzTests {

    static final JsonMapper json = JsonMapper.builder().build();
    static final List<String> KEYS = List.of("customer", "items", "comment", "name", "phone", "sku", "quantity",
            "unitPrice", "id", "total", "", "__proto__");

    static ConfigurableApplicationContext service;
    static Orders orders;
    static int port;

    @BeforeContainer
    static void startService() {
        service = new SpringApplicationBuilder(OnlineDukanApplication.class)
                .initializers(new DukanTestContext())
                .run("--server.port=0");
        port = ((WebServerApplicationContext) service).getWebServer().getPort();
        orders = new Orders(port);
    }

    @AfterContainer
    static void stopService() {
        assertThat(orders.place(Orders.order("Still standing", null, "A")).status()).isEqualTo(201);
        service.close();
    }

    @Property(tries = 150)
    void randomJsonIsNeverAServerError(@ForAll("anyJson") Object body) {
        assertNoServerError(json.writeValueAsString(body));
    }

    @Property(tries = 300)
    void nearValidOrdersAreNeverAServerError(@ForAll("nearValidOrder") Map<String, Object> body) {
        assertNoServerError(json.writeValueAsString(body));
    }

    @Property(tries = 60)
    void randomTextIsNeverAServerError(@ForAll("text") String body) {
        assertNoServerError(body);
    }

    /**
     * A format character (bidi controls such as U+202E, marks, zero-width characters, tags) anywhere
     * in any customer text field is a 400 naming that field: no order is placed whose rendered line
     * could read reversed or hide part of itself.
     */
    @Property(tries = 80)
    void formatCharactersInCustomerTextAreRejectedNamingTheField(@ForAll("formatCharacter") String format,
            @ForAll("plainText") String text, @ForAll("textField") String field, @ForAll("position") int position) {
        int at = Math.min(position, text.length());
        String hostile = text.substring(0, at) + format + text.substring(at);
        Map<String, Object> item = map("sku", "TEA-001", "name", "Green tea", "quantity", 1, "unitPrice", 12.5);
        Map<String, Object> customer = map("name", "Aziz", "phone", "+998901234567");
        Map<String, Object> order = map("customer", customer, "items", List.of(item), "comment", "ok");
        switch (field) {
            case "customer.name" -> customer.put("name", hostile);
            case "customer.phone" -> customer.put("phone", "+99890" + hostile.replaceAll("[^0-9\\p{Cf}]", "") + "1234");
            case "items[0].sku" -> item.put("sku", hostile);
            case "items[0].name" -> item.put("name", hostile);
            default -> order.put("comment", hostile);
        }

        var response = orders.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(order))));

        assertThat(response.status()).as(hostile).isEqualTo(400);
        assertThat(response.body().get("errors").findValuesAsString("field")).as(hostile).contains(field);
    }

    @Provide
    Arbitrary<String> formatCharacter() {
        List<String> format = java.util.stream.IntStream.rangeClosed(0, 0x10FFFF)
                .filter(c -> Character.getType(c) == Character.FORMAT)
                .mapToObj(Character::toString)
                .toList();
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just("\u202e")),
                Tuple.of(3, Arbitraries.of(format)));
    }

    @Provide
    Arbitrary<String> plainText() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withCharRange('\u0400', '\u04ff')
                .ofMinLength(1).ofMaxLength(30);
    }

    @Provide
    Arbitrary<String> textField() {
        return Arbitraries.of("customer.name", "customer.phone", "items[0].sku", "items[0].name", "comment");
    }

    @Provide
    Arbitrary<Integer> position() {
        return Arbitraries.integers().between(0, 30);
    }

    private static void assertNoServerError(String body) {
        var response = orders.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.status()).as(body).isBetween(200, 499);
    }

    @Provide
    Arbitrary<Object> anyJson() {
        return Arbitraries.recursive(this::scalar, inner -> Arbitraries.oneOf(
                inner,
                inner.list().ofMaxSize(4).map(l -> (Object) l),
                Arbitraries.maps(Arbitraries.of(KEYS), inner).ofMaxSize(4).map(m -> (Object) m)), 0, 4);
    }

    /** Orders whose every field is valid most of the time, so the random ones reach the database. */
    @Provide
    Arbitrary<Map<String, Object>> nearValidOrder() {
        Arbitrary<Object> name = mostly(tricky().ofMinLength(1).ofMaxLength(60).map(s -> (Object) s));
        Arbitrary<Object> phone = mostly(Arbitraries.just("+998901234567"));
        Arbitrary<Object> quantity = mostly(Arbitraries.integers().between(1, 1000).map(i -> (Object) i));
        Arbitrary<Object> price = mostly(Arbitraries.bigDecimals()
                .between(new java.math.BigDecimal("0.01"), new java.math.BigDecimal("9999999999.99"))
                .ofScale(2).map(d -> (Object) d));
        Arbitrary<Object> item = Combinators.combine(name, name, quantity, price)
                .as((sku, n, q, p) -> map("sku", sku, "name", n, "quantity", q, "unitPrice", p));
        Arbitrary<Object> customer = Combinators.combine(name, phone).as((n, p) -> map("name", n, "phone", p));
        Arbitrary<Object> items = Arbitraries.frequencyOf(
                Tuple.of(8, item.list().ofMinSize(1).ofMaxSize(5)),
                Tuple.of(1, item.list().ofMaxSize(105))).map(l -> (Object) l);
        return Combinators.combine(customer, items, mostly(text().map(s -> (Object) s)))
                .as((c, i, comment) -> map("customer", c, "items", i, "comment", comment));
    }

    /** The given values eight times in ten, anything JSON can hold otherwise. */
    private Arbitrary<Object> mostly(Arbitrary<Object> valid) {
        return Arbitraries.frequencyOf(Tuple.of(8, valid), Tuple.of(1, scalar()), Tuple.of(1, text().map(s -> (Object) s)));
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(300), tricky().ofMaxLength(300));
    }

    /** Letters, Cyrillic, emoji halves, and the characters that break things: controls, NUL, markup. */
    private static net.jqwik.api.arbitraries.StringArbitrary tricky() {
        return Arbitraries.strings()
                .withCharRange('a', 'z')
                .withCharRange('\u0400', '\u04ff')
                .withCharRange('\u0000', '\u001f')
                .withChars("\u007f<>&\"'\\/ \ud83d\ude00\u202e\ufeff");
    }

    /** A JSON object that, unlike {@code Map.of}, may hold nulls. */
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private Arbitrary<Object> scalar() {
        return Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.bigDecimals().ofScale(4).map(d -> (Object) d),
                Arbitraries.strings().all().ofMaxLength(50).map(s -> (Object) s));
    }
}
