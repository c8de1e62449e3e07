package com.onlinedukan.chaos;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.onlinedukan.support.OwnRedis;
import com.onlinedukan.support.TestServers;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos run's hostile stream entries are what they claim to be. Property: whatever the seed,
 * every shape of a burst is on the stream byte for byte as Redis keeps it (NUL bytes and invalid
 * UTF-8 untouched, values of megabytes, thousands of fields), except an XADD without fields, which
 * Redis itself refuses; and a forged entry names the real event ids it was given.
 */
class HostileEntriesTests {

    private static RedisServer redis;
    private static int port;

    @BeforeAll
    static void startRedis() throws Exception {
        port = TestServers.freePort();
        redis = OwnRedis.start(port);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.stop();
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    @Test
    void everyShapeReachesTheStreamByteForByte() throws Exception {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            for (long variant : new long[] {1, 2, 3, new java.util.Random().nextLong()}) {
                String key = "chaos:test:" + variant;
                List<UUID> real = List.of(UUID.randomUUID(), UUID.randomUUID());
                HostileEntries hostile = new HostileEntries("127.0.0.1", port, key);
                List<HostileEntries.Written> written = hostile.burst(variant, 0, real);

                assertThat(written).extracting(HostileEntries.Written::shape)
                        .containsExactlyInAnyOrder(HostileEntries.Shape.values());
                assertThat(written).filteredOn(HostileEntries.Written::refused).extracting(HostileEntries.Written::shape)
                        .containsExactly(HostileEntries.Shape.NO_FIELDS);
                List<StreamMessage<byte[], byte[]>> entries = connection.sync().xrange(key.getBytes(StandardCharsets.UTF_8),
                        Range.create("-", "+"));
                assertThat(entries).hasSize(HostileEntries.Shape.values().length - 1);

                List<byte[]> values = new ArrayList<>();
                List<byte[]> names = new ArrayList<>();
                int mostFields = 0;
                for (StreamMessage<byte[], byte[]> entry : entries) {
                    Map<byte[], byte[]> body = entry.getBody();
                    mostFields = Math.max(mostFields, body.size());
                    names.addAll(body.keySet());
                    values.addAll(body.values());
                }
                assertThat(values).as("NUL bytes").anyMatch(v -> Arrays.equals(v, new byte[] {0, 0, 0, 0}));
                assertThat(values).as("invalid UTF-8").anyMatch(v -> Arrays.equals(v, bytes(0xC3, 0x28, 0xFF, 0xFE)));
                assertThat(names).as("a surrogate in a name").anyMatch(n -> Arrays.equals(n, bytes(0xED, 0xA0, 0x80)));
                assertThat(names).as("an empty name").anyMatch(n -> n.length == 0);
                assertThat(names).as("a huge name").anyMatch(n -> n.length >= 64 * 1024);
                assertThat(values).as("a huge value").anyMatch(v -> v.length >= 1 << 20);
                assertThat(mostFields).isGreaterThanOrEqualTo(1000);
                List<String> text = values.stream().filter(v -> v.length < 1000).map(v -> new String(v, StandardCharsets.UTF_8))
                        .toList();
                assertThat(text).as("a real event id, relay layout").containsAnyElementsOf(real.stream().map(UUID::toString).toList());
                assertThat(text).as("a real event id, sink layout").containsAnyElementsOf(real.stream().map(id -> "\"" + id + "\"")
                        .toList());
                assertThat(hostile.phantoms()).hasSize(3);
                assertThat(text).as("a phantom order").containsAnyElementsOf(hostile.phantoms());
            }
        }
        finally {
            client.shutdown();
        }
    }
}
