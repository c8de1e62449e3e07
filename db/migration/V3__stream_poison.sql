-- Stream entries the notifier could not read: kept with the reason, acknowledged, never retried.
CREATE TABLE stream_poison (
    id              bigserial   PRIMARY KEY,
    stream_entry_id varchar(64) NOT NULL,
    fields          text        NOT NULL,
    reason          text        NOT NULL,
    at              timestamptz NOT NULL DEFAULT now()
);
