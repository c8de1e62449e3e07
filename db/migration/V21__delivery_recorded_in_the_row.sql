-- A delivery is recorded once, in the ledger row (status DELIVERED, delivered_at), not again as a row of
-- notification_attempt: under load the DELIVERED write was the pipeline's costliest statement per order,
-- and its attempt row (a heap row, two index entries, a sequence value and a foreign-key check) was a
-- quarter of it. A notification's history is its attempts and, while it is DELIVERED, that delivery; a
-- replay writes the delivery into notification_attempt before it moves the row on, so nothing is lost.
-- A delivery recorded the old way (an attempt row written with its DELIVERED, at the same now()), by an
-- earlier version or by an instance not yet upgraded in a rolling deploy, is shown once: from its row.
CREATE VIEW notification_history AS
    SELECT a.id, a.event_id, a.at, a.outcome, a.error
      FROM notification_attempt a
    UNION ALL
    SELECT NULL::bigint, n.event_id, n.delivered_at, CAST('DELIVERED' AS varchar(24)), NULL::text
      FROM notification n
     WHERE n.status = 'DELIVERED'
       AND NOT EXISTS (SELECT 1 FROM notification_attempt a
                        WHERE a.event_id = n.event_id AND a.outcome = 'DELIVERED' AND a.at = n.delivered_at);
