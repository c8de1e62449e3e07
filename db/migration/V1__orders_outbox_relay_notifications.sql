-- Orders: the aggregate customers create.
CREATE TABLE orders (
    id             uuid          PRIMARY KEY,
    version        bigint        NOT NULL,
    customer_name  varchar(200)  NOT NULL,
    customer_phone varchar(32)   NOT NULL,
    comment        varchar(5000),
    total          numeric(19,2) NOT NULL,  -- 100 lines x 1000 x 9,999,999,999.99 fits
    status         varchar(20)   NOT NULL,
    created_at     timestamptz   NOT NULL
);
CREATE INDEX orders_created_at ON orders (created_at);

CREATE TABLE order_item (
    order_id   uuid          NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no    int           NOT NULL,
    sku        varchar(64)   NOT NULL,
    name       varchar(200)  NOT NULL,
    quantity   int           NOT NULL CHECK (quantity > 0),
    unit_price numeric(12,2) NOT NULL CHECK (unit_price > 0),
    PRIMARY KEY (order_id, line_no)
);

-- The transactional outbox. Column names follow Debezium's outbox event router
-- (id, aggregatetype, aggregateid, type, payload), so Debezium Server's Redis sink
-- could replace the embedded relay without touching this table.
CREATE TABLE outbox (
    id            uuid         PRIMARY KEY,
    aggregatetype varchar(255) NOT NULL,
    aggregateid   varchar(255) NOT NULL,
    type          varchar(255) NOT NULL,
    payload       jsonb        NOT NULL,
    created_at    timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX outbox_created_at ON outbox (created_at);

-- Written by Debezium's heartbeat action query. The table is in the relay's publication,
-- so the slot's confirmed LSN keeps moving while the outbox is idle and other tables write.
CREATE TABLE relay_heartbeat (
    id      int         PRIMARY KEY,
    beat_at timestamptz NOT NULL
);
INSERT INTO relay_heartbeat (id, beat_at) VALUES (1, now());

-- Debezium's offsets (JdbcOffsetBackingStore's layout): where the relay resumes after a restart.
CREATE TABLE relay_offset (
    id                varchar(36)   NOT NULL PRIMARY KEY,
    offset_key        varchar(1255),
    offset_val        varchar(1255),
    record_insert_ts  timestamp     NOT NULL,
    record_insert_seq integer       NOT NULL
);

-- The delivery ledger: one row per outbox event, keyed by the event id (the idempotency key).
CREATE TABLE notification (
    event_id            uuid         PRIMARY KEY,
    order_id            uuid         NOT NULL,
    status              varchar(16)  NOT NULL CHECK (status IN ('PENDING', 'RETRYING', 'DELIVERED', 'DEAD')),
    attempts            int          NOT NULL DEFAULT 0,
    last_error          text,
    next_attempt_at     timestamptz,
    lease_owner         varchar(100),
    lease_until         timestamptz,
    telegram_message_id bigint,
    payload             jsonb        NOT NULL,
    event_committed_at  timestamptz  NOT NULL,
    created_at          timestamptz  NOT NULL DEFAULT now(),
    delivered_at        timestamptz
);
CREATE INDEX notification_order_id ON notification (order_id);
CREATE INDEX notification_due ON notification (next_attempt_at) WHERE status IN ('PENDING', 'RETRYING');

CREATE TABLE notification_attempt (
    id       bigserial   PRIMARY KEY,
    event_id uuid        NOT NULL REFERENCES notification (event_id) ON DELETE CASCADE,
    at       timestamptz NOT NULL DEFAULT now(),
    outcome  varchar(16) NOT NULL,
    error    text
);
CREATE INDEX notification_attempt_event ON notification_attempt (event_id, at);
