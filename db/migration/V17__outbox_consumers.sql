-- Issue 18: the outbox owns its retention. Each consumer of the outbox reports how far it has
-- accounted for the outbox's rows: every row written by a transaction below checked_below_txid
-- (the writer's txid, see V13). A consumer that registered and never reported (NULL) holds every
-- row; the outbox deletes a row only when it is older than the retention and below every
-- registered consumer's watermark.
CREATE TABLE outbox_consumer (
    name               text        PRIMARY KEY,
    checked_below_txid bigint,
    registered_at      timestamptz NOT NULL DEFAULT now(),
    reported_at        timestamptz
);

-- The notifier was the one consumer, and its reconciler's watermark is exactly what it has checked:
-- it carries over, so an upgrade neither stalls retention nor deletes anything it had not checked.
INSERT INTO outbox_consumer (name, checked_below_txid, reported_at)
SELECT 'notification', checked_below_txid, now() FROM reconciler_watermark WHERE id = 1;
