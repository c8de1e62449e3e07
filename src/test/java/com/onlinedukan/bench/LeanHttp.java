package com.onlinedukan.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's HTTP/1.1 client: blocking sockets kept alive in a pool, one request per
 * connection at a time, nothing else. The JDK's HttpClient spent about a tenth of the machine's two
 * cores driving 1,400 orders a second (measured from /proc beside the service); the cores the load
 * generator takes are cores the service does not get, and pgbench's client, the floor's, is lean C.
 */
final class LeanHttp implements AutoCloseable {

    /** A response: the status code and the body as text. */
    record Response(int status, String body) {
    }

    private static final long IDLE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final String host;
    private final int port;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

    LeanHttp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** POSTs a JSON body to {@code path}; a connection the server closed, or that failed, is not reused. */
    Response postJson(String path, String json, int timeoutMillis) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        Connection connection = take(timeoutMillis);
        boolean reusable = false;
        try {
            connection.out.write(head);
            connection.out.write(body);
            connection.out.flush();
            Response response = connection.read();
            reusable = connection.keepAlive;
            return response;
        }
        finally {
            if (reusable) {
                connection.lastUsed = System.nanoTime();
                idle.push(connection);
            }
            else {
                connection.close();
            }
        }
    }

    private Connection take(int timeoutMillis) throws IOException {
        Connection connection;
        while ((connection = idle.poll()) != null) {
            if (System.nanoTime() - connection.lastUsed < IDLE_LIMIT_NANOS) {
                connection.socket.setSoTimeout(timeoutMillis);
                return connection;
            }
            connection.close();
        }
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(timeoutMillis);
        return new Connection(socket);
    }

    @Override
    public void close() {
        Connection connection;
        while ((connection = idle.poll()) != null) {
            connection.close();
        }
    }

    private static final class Connection {

        final Socket socket;
        final InputStream in;
        final OutputStream out;
        boolean keepAlive = true;
        long lastUsed = System.nanoTime();

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 8192);
            this.out = socket.getOutputStream();
        }

        Response read() throws IOException {
            String status = line();
            if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
                throw new IOException("not an HTTP/1.1 status line: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            int length = -1;
            boolean chunked = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).strip());
                }
                else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
                else if (lower.startsWith("connection:") && lower.contains("close")) {
                    keepAlive = false;
                }
            }
            byte[] body;
            if (chunked) {
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                for (int size = Integer.parseInt(line().split(";")[0].strip(), 16); size > 0;
                        size = Integer.parseInt(line().split(";")[0].strip(), 16)) {
                    all.write(in.readNBytes(size));
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
                body = all.toByteArray();
            }
            else if (length >= 0) {
                body = in.readNBytes(length);
                if (body.length < length) {
                    throw new IOException("the connection ended inside a body");
                }
            }
            else {
                keepAlive = false;
                body = in.readAllBytes();
            }
            return new Response(code, new String(body, StandardCharsets.UTF_8));
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("the connection closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            }
            catch (IOException e) {
                // closing anyway
            }
        }
    }
}
