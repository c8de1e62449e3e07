-- Whether the lease's holder holds its session's advisory lock. A free lock says "the holder's
-- session is gone" only when the holder had taken it: a holder that took an expired lease while
-- the deposed leader's session still held the lock has not, and until it has, the lease changes
-- hands only by expiry (otherwise the deposed leader, whose session is free again, took it back).
ALTER TABLE relay_leader ADD COLUMN locked boolean NOT NULL DEFAULT false;
