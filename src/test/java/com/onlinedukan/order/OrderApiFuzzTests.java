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
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
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
    /**
     * Writes every character outside ASCII as a JSON escape ({@code \\u00e9}), so what a test means
     * to send arrives as it is, unpaired surrogates included (the HTTP client's UTF-8 would turn one
     * into '?' before it left).
     */
    static final JsonMapper escaping = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
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

    /**
     * What is accepted is stored as it was sent: every text of an order answered 201 reads back
     * the same (stripped, as the API documents), whatever characters it holds. Text that cannot be
     * stored as sent is refused instead (see below), never quietly changed.
     */
    @Property(tries = 200)
    void acceptedTextIsStoredAsSent(@ForAll("nearValidOrder") Map<String, Object> body) {
        Orders.Response placed = orders.place(escaping.writeValueAsString(body));
        assertThat(placed.status()).as(placed.raw().body()).isBetween(200, 499);
        if (placed.status() != 201) {
            return;
        }
        JsonNode stored = orders.get(placed.id()).body();
        @SuppressWarnings("unchecked")
        Map<String, Object> customer = (Map<String, Object>) body.get("customer");
        assertSameText(customer.get("name"), stored.get("customer").get("name"));
        if (body.get("comment") instanceof String comment) {
            assertThat(stored.get("comment").asString()).isEqualTo(comment);
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) body.get("items");
        for (int i = 0; i < items.size(); i++) {
            assertSameText(items.get(i).get("sku"), stored.get("items").get(i).get("sku"));
            assertSameText(items.get(i).get("name"), stored.get("items").get(i).get("name"));
        }
    }

    /**
     * The same for any Unicode text, from every plane, with now and then an unpaired surrogate in
     * it: an order is either stored with each text as sent (stripped), or refused with a 400 that
     * names each text holding an unpaired surrogate. Nothing in between: no '?' in place of what the
     * customer wrote.
     */
    @Property(tries = 150)
    void anyTextIsStoredAsSentOrRefusedNamingItsField(@ForAll("anyText") String name, @ForAll("anyText") String sku,
            @ForAll("anyText") String itemName, @ForAll("anyText") String comment) {
        Map<String, Object> order = order();
        put(order, "customer.name", name);
        put(order, "items[0].sku", sku.length() > 64 ? sku.substring(0, 64) : sku);
        put(order, "items[0].name", itemName);
        put(order, "comment", comment);
        @SuppressWarnings("unchecked")
        Map<String, Object> item = ((List<Map<String, Object>>) order.get("items")).get(0);
        Map<String, String> texts = Map.of("customer.name", name, "items[0].sku", (String) item.get("sku"),
                "items[0].name", itemName, "comment", comment);
        List<String> unstorable = texts.entrySet().stream()
                .filter(text -> text.getValue().codePoints().anyMatch(c -> Character.getType(c) == Character.SURROGATE))
                .map(Map.Entry::getKey).sorted().toList();

        Orders.Response placed = orders.place(escaping.writeValueAsString(order));

        if (!unstorable.isEmpty()) {
            assertThat(placed.status()).as(placed.raw().body()).isEqualTo(400);
            assertThat(placed.body().get("errors").findValuesAsString("field")).containsAll(unstorable);
            return;
        }
        if (texts.entrySet().stream().filter(t -> !t.getKey().equals("comment")).anyMatch(t -> t.getValue().isBlank())) {
            assertThat(placed.status()).as(placed.raw().body()).isEqualTo(400);
            return;
        }
        assertThat(placed.status()).as(placed.raw().body()).isEqualTo(201);
        JsonNode stored = orders.get(placed.id()).body();
        assertSameText(name, stored.get("customer").get("name"));
        assertSameText(item.get("sku"), stored.get("items").get(0).get("sku"));
        assertSameText(itemName, stored.get("items").get(0).get("name"));
        assertThat(stored.get("comment").asString()).isEqualTo(comment);
    }

    /**
     * Code points from every plane that are neither controls nor format characters (those are
     * refused by design, see below), as UTF-16, and one text in ten with an unpaired surrogate.
     */
    @Provide
    Arbitrary<String> anyText() {
        Arbitrary<String> codePoint = Arbitraries.integers().between(0x20, 0x10FFFF)
                .filter(c -> Character.getType(c) != Character.CONTROL && Character.getType(c) != Character.FORMAT
                        && Character.getType(c) != Character.SURROGATE)
                .map(Character::toString);
        Arbitrary<String> text = Arbitraries.frequencyOf(
                Tuple.of(3, codePoint), Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').ofLength(1)),
                Tuple.of(1, Arbitraries.of(" ", "<", "&", "\"", "\\", "\n")))
                .list().ofMinSize(1).ofMaxSize(40).map(parts -> String.join("", parts))
                .map(t -> t.replace("\n", " "));
        return Arbitraries.frequencyOf(
                Tuple.of(9, text),
                Tuple.of(1, Combinators.combine(text, surrogate(), Arbitraries.integers().between(0, 40))
                        .as((t, lone, at) -> {
                            // Never beside another surrogate, so it stays unpaired.
                            int i = Math.min(at, t.length());
                            while (i > 0 && i < t.length() && Character.isLowSurrogate(t.charAt(i))) {
                                i--;
                            }
                            return t.substring(0, i) + lone + " " + t.substring(i);
                        })));
    }

    /**
     * Sent as a JSON string: the stored text is that string, stripped (names and SKUs are; a comment
     * is kept as written). Other JSON values are the API's to coerce.
     */
    private static void assertSameText(Object sent, JsonNode stored) {
        if (sent instanceof String text) {
            assertThat(stored.asString()).as(escaping.writeValueAsString(text)).isEqualTo(text.strip());
        }
    }

    /**
     * An unpaired surrogate ({@code \\ud800} with no partner: not Unicode text, so no UTF-8 column
     * can hold it) anywhere in any customer text is a 400 naming that field; a surrogate pair (an
     * emoji) beside it is fine.
     */
    @Property(tries = 60)
    void unpairedSurrogatesInCustomerTextAreRejectedNamingTheField(@ForAll("surrogate") char surrogate,
            @ForAll("plainText") String text, @ForAll("freeTextField") String field, @ForAll("position") int position) {
        int at = Math.min(position, text.length());
        String hostile = "\ud83d\ude00" + text.substring(0, at) + surrogate + text.substring(at);
        Map<String, Object> order = order();
        put(order, field, hostile);

        Orders.Response response = orders.place(escaping.writeValueAsString(order));

        assertThat(response.status()).as(escaping.writeValueAsString(hostile)).isEqualTo(400);
        assertThat(response.body().get("errors").findValuesAsString("field")).as(hostile).containsExactly(field);
    }

    /** The texts a customer writes freely (the phone has a pattern of its own). */
    @Provide
    Arbitrary<String> freeTextField() {
        return Arbitraries.of("customer.name", "items[0].sku", "items[0].name", "comment");
    }

    /**
     * A member named twice, at any depth, is a 400 naming it: a body means one thing, not the
     * last of two to this parser and the first to another.
     */
    @Property(tries = 40)
    void aMemberNamedTwiceIsRejectedNamingIt(@ForAll("member") String member) {
        Map<String, Object> order = order();
        String body = escaping.writeValueAsString(order);
        String name = member.substring(member.lastIndexOf('.') + 1).replaceAll("\\[0]", "");
        String key = "\"" + name + "\":";
        // The member's first occurrence (items' "name" comes after customer's), written again beside it.
        int from = member.startsWith("items") ? body.indexOf("\"items\"") : member.startsWith("customer.") ? body.indexOf("\"customer\"") : 0;
        int start = body.indexOf(key, from);
        int end = valueEnd(body, start + key.length());
        String twice = body.substring(0, end) + "," + body.substring(start, end) + body.substring(end);

        Orders.Response response = orders.place(twice);

        assertThat(response.status()).as(twice).isEqualTo(400);
        assertThat(response.body().get("errors").findValuesAsString("field")).as(twice).containsExactly(member);
    }

    /** A whole number beyond what its field can hold is a 400 naming the field, not "not valid JSON". */
    @Property(tries = 40)
    void aNumberBeyondItsFieldsRangeIsRejectedNamingIt(@ForAll("hugeWholeNumber") java.math.BigInteger quantity,
            @ForAll("position") int position) {
        int items = 1 + position % 3;
        Map<String, Object> order = order();
        List<Map<String, Object>> lines = new java.util.ArrayList<>();
        for (int i = 0; i < items; i++) {
            lines.add(map("sku", "TEA-00" + i, "name", "Green tea", "quantity", i == items - 1 ? quantity : 1, "unitPrice", 12.5));
        }
        order.put("items", lines);

        Orders.Response response = orders.place(escaping.writeValueAsString(order));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("errors").findValuesAsString("field"))
                .containsExactly("items[" + (items - 1) + "].quantity");
    }

    /**
     * A value of another JSON type than its field's is a 400 naming the field, never converted: a
     * number written as a string ({@code "quantity": "2"}, which a reader could take for 2 or 20),
     * a number or boolean where text belongs.
     */
    @Property(tries = 40)
    void aValueOfAnotherJsonTypeIsRejectedNamingItsField(@ForAll("typedField") String field,
            @ForAll("position") int pick) {
        boolean numeric = field.endsWith("quantity") || field.endsWith("unitPrice");
        Object wrong = numeric ? List.of("2", "12.50", "1e1").get(pick % 3) : List.of(5, 12.5, true).get(pick % 3);
        Map<String, Object> order = order();
        @SuppressWarnings("unchecked")
        Map<String, Object> item = ((List<Map<String, Object>>) order.get("items")).get(0);
        switch (field) {
            case "items[0].quantity" -> item.put("quantity", wrong);
            case "items[0].unitPrice" -> item.put("unitPrice", wrong);
            case "customer.phone" -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> customer = (Map<String, Object>) order.get("customer");
                customer.put("phone", wrong);
            }
            default -> put(order, field, wrong);
        }

        Orders.Response response = orders.place(escaping.writeValueAsString(order));

        assertThat(response.status()).as(field + " = " + wrong).isEqualTo(400);
        assertThat(response.body().get("errors").findValuesAsString("field")).as(field + " = " + wrong)
                .containsExactly(field);
    }

    @Provide
    Arbitrary<String> typedField() {
        return Arbitraries.of("customer.name", "customer.phone", "items[0].sku", "items[0].name", "items[0].quantity",
                "items[0].unitPrice", "comment");
    }

    @Provide
    Arbitrary<Character> surrogate() {
        return Arbitraries.chars().range('\ud800', '\udfff');
    }

    @Provide
    Arbitrary<String> member() {
        return Arbitraries.of("customer", "items", "comment", "customer.name", "customer.phone", "items[0].sku",
                "items[0].name", "items[0].quantity", "items[0].unitPrice");
    }

    @Provide
    Arbitrary<java.math.BigInteger> hugeWholeNumber() {
        java.math.BigInteger past = java.math.BigInteger.valueOf(Integer.MAX_VALUE).add(java.math.BigInteger.ONE);
        return Arbitraries.bigIntegers().between(past, past.pow(4))
                .flatMap(n -> Arbitraries.of(n, n.negate().subtract(java.math.BigInteger.ONE)));
    }

    /** A valid order, as a map a test can spoil. */
    private static Map<String, Object> order() {
        Map<String, Object> item = map("sku", "TEA-001", "name", "Green tea", "quantity", 1, "unitPrice", 12.5);
        Map<String, Object> customer = map("name", "Aziz", "phone", "+998901234567");
        return map("customer", customer, "items", new java.util.ArrayList<>(List.of(item)), "comment", "ok");
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> order, String field, Object value) {
        switch (field) {
            case "customer.name" -> ((Map<String, Object>) order.get("customer")).put("name", value);
            case "items[0].sku" -> ((List<Map<String, Object>>) order.get("items")).get(0).put("sku", value);
            case "items[0].name" -> ((List<Map<String, Object>>) order.get("items")).get(0).put("name", value);
            default -> order.put("comment", value);
        }
    }

    /** Where the JSON value starting at {@code from} ends (an object, array, string or scalar of our own writing). */
    private static int valueEnd(String json, int from) {
        int depth = 0;
        boolean inString = false;
        for (int i = from; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                }
                else if (c == '"') {
                    inString = false;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
            }
            else if (c == '"') {
                inString = true;
            }
            else if (c == '{' || c == '[') {
                depth++;
            }
            else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return i;
                }
                if (--depth == 0) {
                    return i + 1;
                }
            }
            else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return json.length();
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
