-- The relay's leader lease, one row per replication slot. The holder renews expires_at (on the
-- database's clock) every leadership check; a standby takes the row once it has expired, or at
-- once when the holder's session (which holds an advisory lock) is gone. epoch counts changes of
-- holder, so logs and metrics can tell one leadership from the next.
CREATE TABLE relay_leader (
    slot       text        PRIMARY KEY,
    holder     text        NOT NULL,
    epoch      bigint      NOT NULL,
    expires_at timestamptz NOT NULL
);
