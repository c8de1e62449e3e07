package com.onlinedukan.chaos;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes hostile entries onto the service's stream key as raw RESP bytes on a socket of its own, the
 * way anyone who can reach Redis can: no client library in between to clean them up. Every burst has
 * each {@link Shape} once, in an order and with sizes drawn from the fault's seed, spread over the
 * fault's duration while the real orders keep flowing.
 *
 * <p>A forged entry naming an order nobody placed carries a <em>phantom</em> order id; if that id
 * ever reaches the chat, whoever can write to Redis could put words there ({@link #phantoms()}).
 */
final class HostileEntries {

    /** What a hostile entry is made of. */
    enum Shape {
        NUL_BYTES, INVALID_UTF8, HUGE_VALUE, HUGE_FIELD_NAME, NO_FIELDS, EMPTY_FIELD, THOUSANDS_OF_FIELDS,
        FORGED_REAL_EVENT, FORGED_REAL_EVENT_SINK_LAYOUT, FORGED_UNKNOWN_EVENT, NOT_A_UUID
    }

    /** Redis's answer to one XADD: the entry's id, or the error Redis gave. */
    record Written(Shape shape, int bytes, String reply, boolean refused) {
    }

    private final String host;
    private final int port;
    private final String key;
    private final Set<String> phantoms = ConcurrentHashMap.newKeySet();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong refusedByRedis = new AtomicLong();
    private final AtomicLong forgedReal = new AtomicLong();
    private final AtomicLong forgedUnknown = new AtomicLong();

    HostileEntries(String host, int port, String key) {
        this.host = host;
        this.port = port;
        this.key = key;
    }

    /**
     * One burst: every shape once (forged ones naming {@code realEventIds}), in a drawn order, spread
     * over {@code durationMillis}.
     */
    List<Written> burst(long variant, long durationMillis, List<UUID> realEventIds) throws IOException, InterruptedException {
        Random random = new Random(variant);
        List<Shape> shapes = new ArrayList<>(Arrays.asList(Shape.values()));
        Collections.shuffle(shapes, random);
        List<Written> answers = new ArrayList<>();
        long gap = durationMillis / shapes.size();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (Shape shape : shapes) {
                List<byte[]> command = xadd(shape, random, realEventIds);
                int bytes = command.stream().mapToInt(part -> part.length).sum();
                out.write(resp(command));
                out.flush();
                String reply = readReply(in);
                boolean refused = reply.startsWith("-");
                (refused ? refusedByRedis : written).incrementAndGet();
                answers.add(new Written(shape, bytes, reply.length() > 80 ? reply.substring(0, 80) : reply, refused));
                Thread.sleep(gap);
            }
        }
        return answers;
    }

    private List<byte[]> xadd(Shape shape, Random random, List<UUID> realEventIds) {
        List<byte[]> c = new ArrayList<>(List.of(bytes("XADD"), bytes(key), bytes("*")));
        switch (shape) {
            case NUL_BYTES -> {
                c.add(bytes("eventId"));
                c.add(new byte[] {0, 0, 0, 0});
                c.add(new byte[] {'p', 'a', 'y', 0, 'l', 'o', 'a', 'd'});
                // JSON's own escape for NUL, which PostgreSQL's jsonb cannot hold as text.
                c.add(bytes("{\"orderId\":\"\\u0000\"}"));
                c.add(bytes("type"));
                c.add(new byte[] {'O', 'r', 'd', 'e', 'r', 0, 'P', 'l', 'a', 'c', 'e', 'd'});
            }
            case INVALID_UTF8 -> {
                c.add(bytes("eventId"));
                c.add(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE});
                c.add(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
                c.add(new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80});
                c.add(bytes("payload"));
                c.add(new byte[] {'{', '"', 'x', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'});
            }
            case HUGE_VALUE -> {
                // 1 to 8 MB in one value: a sink that writes what it was given, unbounded.
                byte[] huge = new byte[(1 + random.nextInt(8)) << 20];
                Arrays.fill(huge, (byte) 'x');
                c.add(bytes("eventId"));
                c.add(bytes(UUID.randomUUID().toString()));
                c.add(bytes("payload"));
                c.add(huge);
            }
            case HUGE_FIELD_NAME -> {
                byte[] name = new byte[64 * 1024 + random.nextInt(64 * 1024)];
                Arrays.fill(name, (byte) 'k');
                c.add(name);
                c.add(bytes("v"));
            }
            case NO_FIELDS -> {
                // Redis refuses an XADD without a field (the reply is recorded); the world tries it anyway.
            }
            case EMPTY_FIELD -> {
                c.add(new byte[0]);
                c.add(new byte[0]);
            }
            case THOUSANDS_OF_FIELDS -> {
                int fields = 1000 + random.nextInt(9000);
                for (int i = 0; i < fields; i++) {
                    c.add(bytes("f" + i));
                    c.add(bytes(Integer.toString(random.nextInt())));
                }
            }
            case FORGED_REAL_EVENT -> {
                // A real event again, as the relay writes it, with a forged payload: the ledger decides, by id.
                UUID event = realEventIds.isEmpty() ? UUID.randomUUID() : realEventIds.get(random.nextInt(realEventIds.size()));
                forgedReal.incrementAndGet();
                String phantom = phantom();
                c.addAll(relayShape(event, phantom));
            }
            case FORGED_REAL_EVENT_SINK_LAYOUT -> {
                UUID event = realEventIds.isEmpty() ? UUID.randomUUID() : realEventIds.get(random.nextInt(realEventIds.size()));
                forgedReal.incrementAndGet();
                c.add(bytes("ID"));
                c.add(bytes("\"" + event + "\""));
                c.add(bytes("value"));
                c.add(bytes("{\"orderId\":\"" + phantom() + "\"}"));
            }
            case FORGED_UNKNOWN_EVENT -> {
                forgedUnknown.incrementAndGet();
                c.addAll(relayShape(UUID.randomUUID(), phantom()));
            }
            case NOT_A_UUID -> {
                c.add(bytes("eventId"));
                c.add(bytes(random.nextBoolean() ? "{\"payload\":42}" : "'; DROP TABLE notification; --"));
                c.add(bytes("ID"));
                c.add(bytes("{\"schema\":null,\"payload\":[1,2,3]}"));
            }
        }
        return c;
    }

    /** The fields the embedded relay writes, naming an order nobody placed. */
    private static List<byte[]> relayShape(UUID eventId, String orderId) {
        String payload = "{\"orderId\":\"" + orderId + "\",\"customerName\":\"<b>forged</b>\",\"total\":1.00}";
        return List.of(bytes("eventId"), bytes(eventId.toString()), bytes("type"), bytes("OrderPlaced"),
                bytes("aggregateType"), bytes("Order"), bytes("aggregateId"), bytes(orderId), bytes("payload"),
                bytes(payload), bytes("committedAt"), bytes(java.time.Instant.now().toString()));
    }

    private String phantom() {
        String id = UUID.randomUUID().toString();
        phantoms.add(id);
        return id;
    }

    /** Order ids that only forged entries named. */
    Set<String> phantoms() {
        return phantoms;
    }

    long written() {
        return written.get();
    }

    long refusedByRedis() {
        return refusedByRedis.get();
    }

    long forgedReal() {
        return forgedReal.get();
    }

    long forgedUnknown() {
        return forgedUnknown.get();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] resp(List<byte[]> parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes("*" + parts.size() + "\r\n"));
        for (byte[] part : parts) {
            out.write(bytes("$" + part.length + "\r\n"));
            out.write(part);
            out.write(bytes("\r\n"));
        }
        return out.toByteArray();
    }

    /** One RESP reply as text: {@code +OK}, {@code -ERR ...}, or a bulk string's content. */
    private static String readReply(InputStream in) throws IOException {
        String line = readLine(in);
        if (line.startsWith("$")) {
            int length = Integer.parseInt(line.substring(1));
            if (length < 0) {
                return "(nil)";
            }
            byte[] body = in.readNBytes(length + 2);
            return new String(body, 0, Math.max(0, body.length - 2), StandardCharsets.UTF_8);
        }
        return line;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\r') {
                in.read();
                break;
            }
            line.write(b);
        }
        if (b == -1 && line.size() == 0) {
            throw new IOException("Redis closed the connection");
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
