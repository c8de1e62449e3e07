package com.onlinedukan.telegram;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** In a dry run there is no bot: nobody can press anything, and edits only go to the log. */
class DryRunStaffBot implements StaffBot {

    private static final SendOutcome NOTHING = new SendOutcome.Delivered(0);

    @Override
    public boolean live() {
        return false;
    }

    @Override
    public String botId() {
        return "dry-run";
    }

    @Override
    public Polled poll(long offset, Duration wait) {
        return new Updates(List.of());
    }

    @Override
    public Optional<Update> read(String json) {
        return Optional.empty();
    }

    @Override
    public String webhookSecret() {
        return java.util.UUID.randomUUID().toString();
    }

    @Override
    public SendOutcome setWebhook(String url, String secret) {
        return NOTHING;
    }

    @Override
    public SendOutcome answer(String callbackQueryId, String text) {
        return NOTHING;
    }

    @Override
    public SendOutcome edit(String chatId, long messageId, String html, List<Button> buttons) {
        return NOTHING;
    }

    @Override
    public SendOutcome editButtons(String chatId, long messageId, List<Button> buttons) {
        return NOTHING;
    }

    @Override
    public SendOutcome reply(String chatId, long messageId, String html) {
        return NOTHING;
    }

    @Override
    public SendOutcome sendTo(String chatId, String html) {
        return NOTHING;
    }
}
