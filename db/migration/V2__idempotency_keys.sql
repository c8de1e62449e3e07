-- Idempotency-Key of POST /api/orders (Stripe's semantics): the first response is kept and
-- replayed for a repeat with the same key and the same body. The row is inserted in the same
-- transaction as the order, so a concurrent request with the same key waits on it.
CREATE TABLE idempotency_key (
    key           varchar(255) PRIMARY KEY,
    request_hash  char(64)     NOT NULL,
    -- Filled in by the same transaction that inserted the key, so a committed row is complete.
    order_id      uuid,
    response_code int,
    response_body text,
    created_at    timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX idempotency_key_created_at ON idempotency_key (created_at);
