package com.onlinedukan.chaos;

import com.onlinedukan.support.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients on a bad link, or a slowloris: raw sockets that send a complete set of
 * {@code POST /api/orders} headers and then trickle the body a byte at a time, never finishing it
 * in the window; at its end they hang up. What the service answered on each (if anything, before the
 * end) is counted by status.
 */
final class SlowClients {

    /** What the sockets met. */
    record Outcome(int opened, int refused, Map<String, Integer> answers, int bytesTrickled) {

        String summary() {
            return String.format("%d sockets (%d refused at connect), %d body bytes trickled; answered before the end: %s",
                    opened + refused, refused, bytesTrickled, answers.isEmpty() ? "none" : answers);
        }
    }

    private SlowClients() {
    }

    /**
     * Opens {@code sockets} connections to {@code port}, each declaring a body of several kilobytes and
     * sending one byte of it every 200-400 ms, for {@code durationMillis}; then closes them all.
     */
    static Outcome trickle(int port, int sockets, long durationMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMillis);
        String body = "{\"customer\":{\"name\":\"Slow client\",\"phone\":\"+998901234567\"},\"items\":[{\"sku\":\"TEA-001\","
                + "\"name\":\"Green tea 100g\",\"quantity\":1,\"unitPrice\":12.50}],\"comment\":\"" + "z".repeat(4000) + "\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /api/orders HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + bytes.length + "\r\nConnection: keep-alive\r\n\r\n";
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger trickled = new AtomicInteger();
        Map<String, Integer> answers = new ConcurrentHashMap<>();
        List<Socket> open = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Threads.perTask("slow-client");
        ExecutorService readers = Threads.perTask("slow-client-reader");
        for (int i = 0; i < sockets; i++) {
            clients.execute(() -> {
                boolean connected = false;
                try (Socket socket = new Socket()) {
                    open.add(socket);
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                    connected = true;
                    opened.incrementAndGet();
                    OutputStream out = socket.getOutputStream();
                    out.write(head.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    readers.execute(() -> readStatus(socket, answers));
                    for (int sent = 0; sent < bytes.length - 1 && System.nanoTime() < deadline; sent++) {
                        out.write(bytes[sent]);
                        out.flush();
                        trickled.incrementAndGet();
                        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                        Thread.sleep(Math.max(0, Math.min(left, 200 + (long) (Math.random() * 200))));
                    }
                }
                catch (IOException e) {
                    if (!connected) {
                        refused.incrementAndGet();
                    }
                    else {
                        answers.merge("connection closed by the service", 1, Integer::sum);
                    }
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        clients.shutdown();
        if (!clients.awaitTermination(durationMillis + 5000, TimeUnit.MILLISECONDS)) {
            synchronized (open) {
                open.forEach(SlowClients::closeQuietly);
            }
            clients.shutdownNow();
        }
        readers.shutdown();
        return new Outcome(opened.get(), refused.get(), new TreeMap<>(answers), trickled.get());
    }

    /** The status line of whatever the service answers before the socket closes. */
    private static void readStatus(Socket socket, Map<String, Integer> answers) {
        try {
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                line.append((char) b);
            }
            if (line.length() > 0) {
                String[] parts = line.toString().trim().split(" ", 3);
                answers.merge(parts.length > 1 ? parts[1] : line.toString().trim(), 1, Integer::sum);
            }
        }
        catch (IOException e) {
            // closed at the end of the window
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException e) {
            // closed already
        }
    }
}
