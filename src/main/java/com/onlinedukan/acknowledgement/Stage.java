package com.onlinedukan.acknowledgement;

/**
 * Where an order stands between its message and a member of staff taking it. Each move is made
 * once, by a conditional UPDATE on the stage it leaves: WAITING → REMINDED → ESCALATED, and from
 * any of them → TAKEN, which is final.
 */
public enum Stage {

    /** Delivered; nobody has taken it; no reminder yet. */
    WAITING,
    /** Not taken within {@code acknowledge-within}: a reply to its message reminded the staff. */
    REMINDED,
    /** Not taken a period after the reminder: escalated (to {@code escalation-chat-id} when set). */
    ESCALATED,
    /** A member of staff took it. */
    TAKEN;

    Stage previous() {
        return this == ESCALATED ? REMINDED : WAITING;
    }
}
