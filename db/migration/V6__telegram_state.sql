-- The staff chat as Telegram last described it, shared by every instance and kept across restarts:
-- where it lives now (a group upgraded to a supergroup gets a new id) and a retry_after pause.
CREATE TABLE telegram_chat (
    configured_chat_id text PRIMARY KEY,
    current_chat_id    text NOT NULL,
    paused_until       timestamptz,
    updated_at         timestamptz NOT NULL DEFAULT now()
);
