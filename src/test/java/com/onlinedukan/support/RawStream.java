package com.onlinedukan.support;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Writes entries onto a Redis Stream as bytes, with a raw XADD over the service's own Lettuce
 * connection (byte[] codec): NUL, invalid UTF-8, megabyte values, thousands of fields, duplicate
 * names, whatever a hostile or broken writer could put there.
 */
public final class RawStream {

    private final RedisConnectionFactory connections;
    private final byte[] key;

    public RawStream(RedisConnectionFactory connections, String key) {
        this.connections = connections;
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code XADD key * name value ...} with the bytes given (names and values alternating); returns the entry's id. */
    public String add(List<byte[]> namesAndValues) {
        List<byte[]> args = new ArrayList<>(namesAndValues.size() + 2);
        args.add(key);
        args.add("*".getBytes(StandardCharsets.US_ASCII));
        args.addAll(namesAndValues);
        try (RedisConnection connection = connections.getConnection()) {
            Object id = connection.execute("XADD", args.toArray(byte[][]::new));
            return new String((byte[]) id, StandardCharsets.US_ASCII);
        }
    }

    /** Text as its UTF-8 bytes, for the parts of an entry that are plain. */
    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The lossless form the poison table keeps (each name and value as a 4-byte big-endian length
     * and its bytes), written out here independently of the service's code.
     */
    public static byte[] lengthPrefixed(List<byte[]> namesAndValues) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : namesAndValues) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(part.length).array());
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
