-- The relay as its leader last reported it, one row per replication slot: what GET /api/ops/pipeline
-- and /ops show whichever instance answers. Only the lease holder writes it (the statement checks
-- relay_leader), every leadership check; a row not refreshed for a few leases is stale.
CREATE TABLE relay_state (
    slot               text             PRIMARY KEY,
    leader             text             NOT NULL,
    state              varchar(16)      NOT NULL,
    lag_seconds        double precision NOT NULL,
    retained_wal_bytes bigint           NOT NULL,
    last_error         text,
    updated_at         timestamptz      NOT NULL
);

-- The service's instances, each refreshing its own row every 5 s (ops.InstanceRoster): alive
-- while it beats, stopped when it said so on a clean shutdown, silent when it stopped beating.
-- id is the instance's relay lease name (relay_leader.holder), consumer its stream consumer name.
CREATE TABLE service_instance (
    id          text        PRIMARY KEY,
    host        text        NOT NULL,
    pid         bigint      NOT NULL,
    consumer    text        NOT NULL,
    relay_state varchar(16) NOT NULL,
    started_at  timestamptz NOT NULL,
    last_seen   timestamptz NOT NULL,
    stopped_at  timestamptz
);
-- No new index for the ops page's other reads: the delivery timeline uses notification_delivered_at
-- (V5, partial on DELIVERED), search by order notification_order_id (V1), poison stream_poison_at (V5).
