package com.onlinedukan.notification;

import java.net.URI;
import java.time.Duration;

import com.onlinedukan.support.FakeBotApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Telegram's answers, through the real telegrambots client, sorted into outcomes. */
class BotApiSenderTests {

    static final String TOKEN = "777:SECRET-token";

    final FakeBotApi telegram = FakeBotApi.start();
    final BotApiSender sender = new BotApiSender(
            new TelegramProperties(TOKEN, "-100", URI.create(telegram.url())), Duration.ofSeconds(5));

    @AfterEach
    void stop() {
        telegram.close();
    }

    @Test
    void acceptedMessageIsDeliveredWithTelegramsMessageId() {
        SendOutcome outcome = sender.send("-100", "<b>hi</b>");

        assertThat(outcome).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(((SendOutcome.Delivered) outcome).messageId()).isPositive();
        FakeBotApi.Request request = telegram.accepted().get(0);
        assertThat(request.token()).isEqualTo(TOKEN);
        assertThat(request.parseMode()).isEqualTo("HTML");
        assertThat(request.chatId()).isEqualTo("-100");
    }

    @Test
    void tooManyRequestsCarriesRetryAfter() {
        telegram.rateLimitNext(7);

        SendOutcome outcome = sender.send("-100", "x");
        assertThat(outcome).isInstanceOf(SendOutcome.RetryAfter.class);
        assertThat(((SendOutcome.RetryAfter) outcome).delay()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void serverErrorIsTransient() {
        telegram.failNext(1, 502, "Bad Gateway");

        assertThat(sender.send("-100", "x")).isInstanceOf(SendOutcome.Transient.class);
    }

    @Test
    void unreachableTelegramIsTransientAndDoesNotLeakTheToken() {
        telegram.close();

        SendOutcome outcome = sender.send("-100", "x");
        assertThat(outcome).isInstanceOf(SendOutcome.Transient.class);
        assertThat(((SendOutcome.Transient) outcome).error()).doesNotContain(TOKEN);
    }

    @Test
    void chatNotFoundAndBlockedBotArePermanent() {
        telegram.failNext(1, 400, "Bad Request: chat not found");
        telegram.failNext(1, 403, "Forbidden: bot was blocked by the user");

        SendOutcome notFound = sender.send("-100", "x");
        SendOutcome blocked = sender.send("-100", "x");
        assertThat(notFound).isInstanceOf(SendOutcome.Permanent.class);
        assertThat(((SendOutcome.Permanent) notFound).error()).contains("chat not found");
        assertThat(blocked).isInstanceOf(SendOutcome.Permanent.class);
    }
}
