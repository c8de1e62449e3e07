-- Acknowledgement: a member of staff takes each delivered order by pressing its button in Telegram.
-- One row per delivered notification, written in the transaction that records it DELIVERED, so no
-- delivered order can be missing here (and so none can be forgotten by the escalation).
CREATE TABLE order_acknowledgement (
    event_id      uuid         PRIMARY KEY,
    order_id      uuid         NOT NULL,
    chat_id       varchar(64)  NOT NULL,          -- where the message is (the staff chat at the time)
    message_id    bigint       NOT NULL,          -- the Telegram message that carries the order's button
    message_html  text         NOT NULL,          -- the text as sent, to edit it without re-rendering
    position      smallint     NOT NULL DEFAULT 0, -- its place among a digest's orders (0 for a single order)
    committed_at  timestamptz  NOT NULL,          -- the order's commit: the histogram measures from here
    delivered_at  timestamptz  NOT NULL DEFAULT now(),
    -- WAITING -> REMINDED -> ESCALATED, each step once (a conditional UPDATE is the claim); TAKEN ends it.
    stage         varchar(16)  NOT NULL DEFAULT 'WAITING'
                  CHECK (stage IN ('WAITING', 'REMINDED', 'ESCALATED', 'TAKEN')),
    next_step_at  timestamptz,                    -- when the next escalation step is due; null: none left
    taken_at      timestamptz,
    taken_by_id   bigint,
    taken_by_name varchar(200),
    -- The message shows who took the order (false: an edit is still owed, e.g. the chat budget was spent).
    edited        boolean      NOT NULL DEFAULT false
);
CREATE INDEX order_acknowledgement_order ON order_acknowledgement (order_id);
CREATE INDEX order_acknowledgement_message ON order_acknowledgement (chat_id, message_id);
CREATE INDEX order_acknowledgement_due ON order_acknowledgement (next_step_at) WHERE stage IN ('WAITING', 'REMINDED');
CREATE INDEX order_acknowledgement_open ON order_acknowledgement (delivered_at) WHERE stage <> 'TAKEN';
CREATE INDEX order_acknowledgement_unedited ON order_acknowledgement (taken_at) WHERE stage = 'TAKEN' AND NOT edited;

-- The Bot API update offset per bot: the first update id not yet applied. Written after the
-- updates before it are applied, so a restart neither loses a press nor applies one twice.
CREATE TABLE telegram_update_offset (
    bot_id     varchar(64) PRIMARY KEY,
    next_id    bigint      NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The updates applied, by id: one that comes again (Telegram repeating a webhook call, an offset
-- not confirmed before a crash) changes nothing. Telegram keeps updates for 24 hours; so do we.
CREATE TABLE telegram_update (
    bot_id     varchar(64) NOT NULL,
    update_id  bigint      NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (bot_id, update_id)
);
CREATE INDEX telegram_update_applied_at ON telegram_update (applied_at);
