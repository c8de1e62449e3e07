-- Two costs of the pipeline in PostgreSQL, found with pg_stat_statements and auto_explain under an
-- 8-client burst (bench/run.sh --jfr, "Where PostgreSQL's time goes").

-- A claim changes only the lease columns, which no index holds, so PostgreSQL can write it as a
-- heap-only (HOT) update, with no new entry in any of the ledger's seven indexes, if the row's page
-- has room for the new version. At the default fillfactor (100) a page is full when its rows are
-- registered, so nine claims in ten were full updates. With room left on each page, eight in ten
-- are HOT and a claim costs PostgreSQL half what it did. Pages written from now on keep the room.
ALTER TABLE notification SET (fillfactor = 60);

-- The reconciler walks the outbox by (txid, id) for one event type, a page at a time after the last
-- row it read. With an index on txid alone the planner could not serve that order and, misled by
-- a young table's statistics, read every row of the type and sorted them for each page of 500.
-- This index answers a page by reading that page.
CREATE INDEX outbox_type_txid ON outbox (type, txid, id);
DROP INDEX outbox_txid;
