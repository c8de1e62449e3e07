package com.onlinedukan.order.web;

/** The Idempotency-Key header is not 1–255 printable ASCII characters. */
class InvalidIdempotencyKeyException extends RuntimeException {

    InvalidIdempotencyKeyException() {
        super("must be 1 to 255 printable ASCII characters");
    }

    static String check(String key) {
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
            throw new InvalidIdempotencyKeyException();
        }
        return key;
    }
}
