-- The text of each message sent to the staff, once per message. Until now order_acknowledgement kept
-- the whole text in the row of every order the message carried: a digest of fifty orders wrote its
-- 4 KB fifty times, in the transaction that records the delivery, and that row was the largest
-- single cost of the pipeline in PostgreSQL (bench/run.sh --jfr, "PostgreSQL statements").
CREATE TABLE staff_message (
    chat_id    varchar(64)  NOT NULL,
    message_id bigint       NOT NULL,
    html       text         NOT NULL,          -- the text as sent, to edit it without re-rendering
    sent_at    timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (chat_id, message_id)
);

-- order_acknowledgement.message_html now holds the text only for rows written before this
-- migration; a row written since holds NULL and its message's text is in staff_message. '' still
-- means what it meant: taken before its delivery was recorded, the text not known yet.
-- (An instance of an earlier version reads NULL for messages a newer one sent, and cannot edit
-- those until it is upgraded too: upgrade every instance together.)
ALTER TABLE order_acknowledgement ALTER COLUMN message_html DROP NOT NULL;
