-- A delivery is recorded once, in the ledger row (status DELIVERED, delivered_at), not again as a row of
-- notification_attempt: under load the DELIVERED write was the pipeline's costliest statement per order,
-- and its attempt row (a heap row, two index entries, a sequence value and a foreign-key check) was a
-- quarter of it. A notification's history is its attempts and, while it is DELIVERED, that delivery; a
-- replay writes the delivery into notification_attempt before it moves the row on, so nothing is lost.
CREATE VIEW notification_history AS
    SELECT a.id, a.event_id, a.at, a.outcome, a.error
      FROM notification_attempt a
    UNION ALL
    SELECT NULL::bigint, n.event_id, n.delivered_at, CAST('DELIVERED' AS varchar(24)), NULL::text
      FROM notification n
     WHERE n.status = 'DELIVERED';

-- Deliveries recorded the old way: the row holds them now (both were written by one statement, at one now()).
DELETE FROM notification_attempt a
 USING notification n
 WHERE a.event_id = n.event_id AND n.status = 'DELIVERED' AND a.outcome = 'DELIVERED' AND a.at = n.delivered_at;
