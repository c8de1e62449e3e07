package com.onlinedukan.ops;

/** What an SRE did, as the audit records it. */
public enum AuditAction {
    /** Replayed one notification. */
    REPLAY,
    /** Replayed an order's notifications. */
    REPLAY_ORDER,
    /** Replayed every notification in a status and window. */
    REPLAY_BULK,
    /** Counted what a bulk replay would touch, replaying nothing. */
    REPLAY_DRY_RUN,
    /** Paused delivery. */
    PAUSE,
    /** Resumed delivery. */
    RESUME
}
