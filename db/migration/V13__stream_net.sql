-- Invariant 2 (no input stops the stream) and 3 (the reconciler is a net with no holes).

-- A poison entry exactly as it arrived: its fields' bytes, each name and value as a 4-byte big-endian
-- length and the bytes (lossless, whatever they are: NUL, invalid UTF-8), cut at 8 MiB with the whole
-- length and its SHA-256 kept; `fields` becomes a readable rendering of it. The event id it named, if
-- any, is checked against the outbox again until resolved or older than the outbox's retention.
ALTER TABLE stream_poison ADD COLUMN raw          bytea;
ALTER TABLE stream_poison ADD COLUMN raw_length   bigint;
ALTER TABLE stream_poison ADD COLUMN raw_sha256   bytea;
ALTER TABLE stream_poison ADD COLUMN event_id     uuid;
ALTER TABLE stream_poison ADD COLUMN resolved_at  timestamptz;
CREATE INDEX stream_poison_entry ON stream_poison (stream_entry_id);
CREATE INDEX stream_poison_unresolved ON stream_poison (at) WHERE event_id IS NOT NULL AND resolved_at IS NULL;

-- The id of the transaction that wrote each outbox row (the xid8 as a bigint, so the relay and any
-- sink read it as a plain number). Rows written before this migration get the migration's own id.
ALTER TABLE outbox ADD COLUMN txid bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint);
CREATE INDEX outbox_txid ON outbox (txid);

-- The reconciler's watermark on transaction ids: every transaction below it had finished when the
-- reconciler took its snapshot, and all of its outbox rows were checked against the ledger.
ALTER TABLE reconciler_watermark ADD COLUMN checked_below_txid bigint NOT NULL DEFAULT 0;
