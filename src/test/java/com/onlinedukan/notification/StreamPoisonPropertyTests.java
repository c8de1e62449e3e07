package com.onlinedukan.notification;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.onlinedukan.OnlineDukanApplication;
import com.onlinedukan.stream.OutboxStream;
import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Orders;
import com.onlinedukan.support.RawStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.onlinedukan.support.RawStream.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Entries nobody wrote down — arbitrary bytes for names and values, the field names the inbox
 * reads with arbitrary values, event ids with junk around them, Debezium Server's layout with
 * garbage — written onto the real stream with raw XADDs: whatever they are, an order placed behind
 * them reaches Telegram in seconds (the reconciler's grace is an hour), and each of them is kept
 * as poison with exactly the bytes it arrived with.
 */
class StreamPoisonPropertyTests {

    static ConfigurableApplicationContext service;
    static RawStream raw;
    static JdbcClient jdbc;
    static FakeBotApi telegram;
    static Orders orders;

    @BeforeContainer
    static void startService() {
        service = new SpringApplicationBuilder(OnlineDukanApplication.class)
                .initializers(new DukanTestContext())
                .run("--server.port=0", "--dukan.reconciler.grace=1h", "--dukan.reconciler.interval=1h",
                        "--dukan.notification.retry-poll-interval=100ms", "--dukan.telegram.rate.global-per-second=1000",
                        "--dukan.telegram.rate.per-chat-per-minute=60000", "--dukan.telegram.rate.per-chat-per-second=1000");
        raw = new RawStream(service.getBean(RedisConnectionFactory.class), service.getBean(OutboxStream.class).key());
        jdbc = service.getBean(JdbcClient.class);
        telegram = service.getBean(FakeBotApi.class);
        orders = new Orders(((WebServerApplicationContext) service).getWebServer().getPort());
    }

    @AfterContainer
    static void stopService() {
        service.close();
    }

    @Property(tries = 25)
    void arbitraryEntriesNeverStopTheStream(@ForAll("entries") List<List<byte[]>> entries) {
        List<String> ids = new ArrayList<>();
        for (List<byte[]> entry : entries) {
            ids.add(raw.add(entry));
        }
        String order = orders.placeMany("Behind arbitrary entries", 1).get(0);
        telegram.awaitEachAcceptedOnce(List.of(order), Duration.ofSeconds(15));
        for (int i = 0; i < entries.size(); i++) {
            // An entry naming a well-formed id the outbox lacks is looked for again for ~3 s; the
            // order behind it does not wait for that.
            String id = ids.get(i);
            byte[] kept = await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                    "SELECT raw FROM stream_poison WHERE stream_entry_id = ?").param(id)
                    .query((rs, row) -> rs.getBytes(1)).optional().orElse(null), java.util.Objects::nonNull);
            if (emptyNames(entries.get(i)) < 2) {
                assertThat(kept).as("entry %d kept as it arrived", i).isEqualTo(RawStream.lengthPrefixed(entries.get(i)));
            }
            // else: Lettuce decodes every empty bulk string to one shared array, so of several fields
            // with an empty name only the last reaches the service (kept and acknowledged, not byte-exact).
        }
    }

    private static long emptyNames(List<byte[]> entry) {
        long empty = 0;
        for (int i = 0; i < entry.size(); i += 2) {
            empty += entry.get(i).length == 0 ? 1 : 0;
        }
        return empty;
    }

    @Provide
    Arbitrary<List<List<byte[]>>> entries() {
        Arbitrary<byte[]> name = Arbitraries.oneOf(
                Arbitraries.of("eventId", "ID", "payload", "key", "value", "type", "aggregateId", "").map(RawStream::utf8),
                bytes(0, 40));
        Arbitrary<byte[]> value = Arbitraries.frequencyOf(
                Tuple.of(6, bytes(0, 300)),
                Tuple.of(1, bytes(20_000, 100_000)),
                Tuple.of(3, Arbitraries.of("\u0000", "{\"payload\":", "{\"payload\": 42}", "[[[[[[", "\"\u0000\"", "null",
                        "{\"schema\":{\"type\":\"string\"},\"payload\":\"x\"}").map(RawStream::utf8)),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(8).map(junk -> utf8(UUID.randomUUID() + junk))),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(8).map(junk -> utf8("\"" + junk + UUID.randomUUID() + "\""))));
        Arbitrary<List<byte[]>> field = Combinators.combine(name, value).as((n, v) -> List.of(n, v));
        Arbitrary<List<byte[]>> entry = field.list().ofMinSize(1).ofMaxSize(40)
                .map(fields -> fields.stream().flatMap(List::stream).toList());
        return entry.list().ofMinSize(1).ofMaxSize(4);
    }

    private static Arbitrary<byte[]> bytes(int min, int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max);
    }
}
