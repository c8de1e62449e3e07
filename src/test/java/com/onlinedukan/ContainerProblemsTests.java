package com.onlinedukan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.Orders;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariant: every refusal the service answers is a problem ({@code application/problem+json}),
 * including what Tomcat refuses before any application code runs, and none of them stops the next
 * customer. The requests are real bytes on a socket, malformed the ways clients, proxies and
 * scanners malform them.
 */
@DukanTest
class ContainerProblemsTests {

    private static final String ORDER = "/api/orders/" + new UUID(0, 0);

    @LocalServerPort
    int port;

    record Answer(int status, Map<String, String> headers, String body) {
    }

    @Test
    void whatTomcatRefusesBeforeTheApplicationIsAProblemToo() throws Exception {
        Map<String, Integer> refused = new LinkedHashMap<>();
        refused.put("a header over the server's limit",
                answer("GET " + ORDER + " HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n").status());
        refused.put("a request line over the limit",
                answer("GET /api/orders/" + "b".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n").status());
        refused.put("a character no request target may hold",
                answer("GET /api/orders/a|b{c} HTTP/1.1\r\nHost: x\r\n\r\n").status());
        refused.put("a request line that is not one",
                answer("\u0001\u0002\u0003 garbage\r\n\r\n").status());
        refused.put("more headers than the server takes",
                answer("GET " + ORDER + " HTTP/1.1\r\nHost: x\r\n" + "X-H: v\r\n".repeat(150) + "\r\n").status());
        refused.put("an HTTP version the server does not speak",
                answer("GET " + ORDER + " HTTP/3.7\r\nHost: x\r\n\r\n").status());
        refused.put("a header name with a space in it",
                answer("GET " + ORDER + " HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n").status());

        // Each is refused by Tomcat itself, before any filter (400 each, 505 for the version); the
        // answers' form is checked in answer(). Without ContainerProblems they are Tomcat's HTML page.
        assertThat(refused).allSatisfy((input, status) -> assertThat(status).as(input).isBetween(400, 599));
        assertThat(refused.get("a header over the server's limit")).isEqualTo(400);
        assertThat(refused.get("a character no request target may hold")).isEqualTo(400);
        assertThat(refused.get("an HTTP version the server does not speak")).isEqualTo(505);

        // Whatever came before, the next customer is served.
        assertThat(new Orders(port).place(Orders.order("After the refusals " + UUID.randomUUID(), null, "TEA-001"))
                .status()).isEqualTo(201);
    }

    @Test
    void theApplicationsOwnAnswersPassThroughUntouched() throws Exception {
        Answer missing = answer("GET " + ORDER + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("\"type\":\"/problems/not-found\"").contains("No order");
    }

    /** Sends {@code raw} and reads the answer; any answer of 400 or more must be a problem. */
    private Answer answer(String raw) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Answer answer = parse(readAll(socket.getInputStream()));
            if (answer.status() >= 400) {
                assertThat(answer.headers().get("content-type")).as(raw.substring(0, Math.min(60, raw.length())))
                        .startsWith("application/problem+json");
                assertThat(answer.body()).doesNotContainIgnoringCase("<html");
                JsonNode problem = JsonMapper.shared().readTree(answer.body());
                assertThat(problem.get("status").asInt()).isEqualTo(answer.status());
                assertThat(problem.get("type").asString()).matches("/problems/[a-z-]+|about:blank");
                assertThat(problem.get("title").asString()).isNotBlank();
                assertThat(problem.get("detail").asString()).isNotBlank();
            }
            return answer;
        }
    }

    /** Until the server closes the connection or, kept alive, the announced body is complete. */
    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                all.write(buffer, 0, n);
                String text = all.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end > 0) {
                    Map<String, String> headers = headers(text.substring(0, end));
                    String length = headers.get("content-length");
                    if (length != null && all.size() >= end + 4 + Integer.parseInt(length.strip())) {
                        break;
                    }
                }
            }
        }
        catch (SocketTimeoutException e) {
            // what arrived is the answer
        }
        return all.toByteArray();
    }

    private static Answer parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("an HTTP answer: " + text).isPositive();
        String head = text.substring(0, end);
        int status = Integer.parseInt(head.split(" ", 3)[1]);
        String body = text.substring(end + 4);
        Map<String, String> headers = headers(head);
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            body = unchunk(body);
        }
        return new Answer(status, headers, body);
    }

    private static Map<String, String> headers(String head) {
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
        }
        return headers;
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).strip(), 16);
            if (size == 0) {
                break;
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
        return body.toString();
    }
}
