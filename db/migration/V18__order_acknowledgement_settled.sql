-- Retention of order_acknowledgement (AcknowledgementRetention): the rows nothing is left to do for
-- (escalated, or taken and the message shows it), walked oldest first.
CREATE INDEX order_acknowledgement_settled ON order_acknowledgement (delivered_at, event_id)
    WHERE stage = 'ESCALATED' OR (stage = 'TAKEN' AND edited);
