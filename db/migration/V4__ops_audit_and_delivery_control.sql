-- Every replay, pause and resume an SRE asked for: who, when, what, how many.
CREATE TABLE ops_audit (
    id       bigserial    PRIMARY KEY,
    at       timestamptz  NOT NULL DEFAULT now(),
    actor    varchar(100) NOT NULL,
    action   varchar(40)  NOT NULL,
    target   text         NOT NULL,
    affected int          NOT NULL
);
CREATE INDEX ops_audit_at ON ops_audit (at DESC);

-- The pause switch for delivery, shared by all instances: new events are still registered, nothing is sent.
CREATE TABLE delivery_control (
    id         int          PRIMARY KEY CHECK (id = 1),
    paused     boolean      NOT NULL,
    changed_by varchar(100),
    changed_at timestamptz
);
INSERT INTO delivery_control (id, paused) VALUES (1, false);

CREATE INDEX notification_created_at ON notification (created_at DESC);
