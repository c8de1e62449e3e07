-- The delivery core, rebuilt: fenced claims, outage-aware retries, pauses with a reason,
-- the reconciler's watermark, and indexes that keep the ops counts and purges off full scans.

-- Every write after a claim names its claim token; a sender whose lease was taken over writes nothing.
ALTER TABLE notification ADD COLUMN lease_token uuid;
-- When the notification's own transient failures began: with max-attempts, decides when it is dead.
ALTER TABLE notification ADD COLUMN first_failed_at timestamptz;

ALTER TABLE notification_attempt ALTER COLUMN outcome TYPE varchar(24);

-- Counts of the statuses SREs watch come from these small partial indexes, not from the whole ledger.
CREATE INDEX notification_dead ON notification (created_at) WHERE status = 'DEAD';
CREATE INDEX notification_open ON notification (status, event_committed_at) WHERE status IN ('PENDING', 'RETRYING');
-- Retention: delivered and dead rows by age.
CREATE INDEX notification_delivered_at ON notification (delivered_at) WHERE status = 'DELIVERED';

-- Who paused delivery (an SRE, or 'telegram' when Telegram refused the bot or the chat) and why.
ALTER TABLE delivery_control ADD COLUMN reason text;

-- Everything in the outbox written before checked_before has been reconciled into the ledger.
CREATE TABLE reconciler_watermark (
    id             int         PRIMARY KEY CHECK (id = 1),
    checked_before timestamptz  -- null: nothing checked yet
);
INSERT INTO reconciler_watermark (id, checked_before) VALUES (1, NULL);

CREATE INDEX stream_poison_at ON stream_poison (at);
CREATE INDEX outbox_type_created_at ON outbox (type, created_at, id);
