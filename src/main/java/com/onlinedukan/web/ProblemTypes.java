package com.onlinedukan.web;

import java.net.URI;

/**
 * Every problem {@code type} the service answers with: a URI relative to the service (RFC 9457
 * resolves it against the request's URI), each with its section in {@code docs/problems.md}.
 * Clients branch on the type, people read the title and detail.
 */
public final class ProblemTypes {

    // Anywhere in the HTTP API.
    public static final URI VALIDATION = URI.create("/problems/validation");
    public static final URI MALFORMED_REQUEST = URI.create("/problems/malformed-request");
    public static final URI NOT_FOUND = URI.create("/problems/not-found");
    public static final URI METHOD_NOT_ALLOWED = URI.create("/problems/method-not-allowed");
    public static final URI NOT_ACCEPTABLE = URI.create("/problems/not-acceptable");
    public static final URI PAYLOAD_TOO_LARGE = URI.create("/problems/payload-too-large");
    public static final URI UNSUPPORTED_MEDIA_TYPE = URI.create("/problems/unsupported-media-type");
    public static final URI INTERNAL_ERROR = URI.create("/problems/internal-error");

    // The order API.
    public static final URI INVALID_IDEMPOTENCY_KEY = URI.create("/problems/invalid-idempotency-key");
    public static final URI IDEMPOTENCY_KEY_MISMATCH = URI.create("/problems/idempotency-key-mismatch");
    public static final URI OVERLOADED = URI.create("/problems/overloaded");
    public static final URI REQUEST_TIMEOUT = URI.create("/problems/request-timeout");

    // The ops API, the ops page and the actuator.
    public static final URI UNAUTHORIZED = URI.create("/problems/unauthorized");
    public static final URI TOO_MANY_LOGINS = URI.create("/problems/too-many-logins");
    public static final URI CROSS_SITE_REQUEST = URI.create("/problems/cross-site-request");

    private ProblemTypes() {
    }
}
