package com.onlinedukan.support;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** An SRE's HTTP client for the ops API and the actuator, with the test credential. */
public final class OpsClient {

    private final int port;
    private final Orders http;

    public OpsClient(int port) {
        this.port = port;
        this.http = new Orders(port);
    }

    /** A call with the SRE's credential; {@code body} null for none. */
    public Orders.Response call(String method, String path, String body) {
        return send(method, path, body, basic(DukanTestContext.OPS_USER, DukanTestContext.OPS_PASSWORD));
    }

    /** A call with the given {@code Authorization} header, or none when null. */
    public Orders.Response send(String method, String path, String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request);
    }

    /**
     * A call with the SRE's credential and exactly the given headers (name, value, name, value...):
     * no {@code Content-Type} unless given, as a browser or a bare API client would send it.
     */
    public Orders.Response callWith(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", basic(DukanTestContext.OPS_USER, DukanTestContext.OPS_PASSWORD));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request);
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
