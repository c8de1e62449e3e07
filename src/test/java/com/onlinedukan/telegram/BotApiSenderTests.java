package com.onlinedukan.telegram;

import java.time.Duration;

import com.onlinedukan.support.FakeBotApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static com.onlinedukan.telegram.TelegramFixture.CHAT;
import static com.onlinedukan.telegram.TelegramFixture.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/** Telegram's answers, through the real telegrambots client, sorted into outcomes. */
class BotApiSenderTests {

    final TelegramFixture fixture = new TelegramFixture();
    final FakeBotApi telegram = fixture.telegram;
    final BotApiSender sender = fixture.sender();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void acceptedMessageIsDeliveredWithTelegramsMessageId() {
        SendOutcome outcome = sender.send("<b>hi</b>");

        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Delivered.class,
                delivered -> assertThat(delivered.messageId()).isPositive());
        FakeBotApi.Request request = telegram.accepted().get(0);
        assertThat(request.token()).isEqualTo(TOKEN);
        assertThat(request.method()).isEqualTo("sendMessage");
        assertThat(request.parseMode()).isEqualTo("HTML");
        assertThat(request.chatId()).isEqualTo(CHAT);
        assertThat(request.text()).isEqualTo("<b>hi</b>");
    }

    @Test
    void tooManyRequestsCarriesRetryAfterAndPausesTheChat() {
        telegram.rateLimitNext(7);

        SendOutcome outcome = sender.send("x");
        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.RetryAfter.class,
                r -> assertThat(r.delay()).isEqualTo(Duration.ofSeconds(7)));
        assertThat(sender.readyIn()).isGreaterThan(Duration.ofSeconds(6));
        assertThat(sender.status().pausedUntil()).isNotNull();
        assertThat(sender.send("y")).isInstanceOf(SendOutcome.NotSent.class);
        assertThat(telegram.requests()).hasSize(1);
    }

    @Test
    void serverErrorIsTransient() {
        telegram.failNext(1, 502, "Bad Gateway");

        assertThat(sender.send("x")).isEqualTo(new SendOutcome.Transient("502 Bad Gateway", false));
    }

    @Test
    void answerSlowerThanTheTimeoutIsTransient() {
        fixture.timeout = Duration.ofMillis(300);
        BotApiSender impatient = fixture.sender();
        telegram.delay(Duration.ofSeconds(1));

        assertThat(impatient.send("x")).isInstanceOf(SendOutcome.Transient.class);
    }

    @Test
    void unreachableTelegramIsTransientAndDoesNotLeakTheToken() {
        telegram.close();

        SendOutcome outcome = sender.send("x");
        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Transient.class,
                t -> assertThat(t.error()).doesNotContain(TOKEN).doesNotContain("SECRET"));
    }

    @Test
    void chatNotFoundBlockedBotMissingRightsAndBadTokenAreRefused() {
        telegram.failNext(1, 400, "Bad Request: chat not found");
        telegram.failNext(1, 403, "Forbidden: bot was kicked from the supergroup chat");
        telegram.failNext(1, 400, "Bad Request: not enough rights to send text messages to the chat");
        telegram.failNext(1, 401, "Unauthorized");

        SendOutcome notFound = sender.send("x");
        assertThat(notFound).isInstanceOfSatisfying(SendOutcome.Refused.class,
                r -> assertThat(r.error()).contains("chat not found"));
        assertThat(sender.send("x")).isInstanceOf(SendOutcome.Refused.class);
        assertThat(sender.send("x")).isInstanceOf(SendOutcome.Refused.class);
        assertThat(sender.send("x")).isInstanceOf(SendOutcome.Refused.class);
    }

    @Test
    void errorsAboutTheMessageAloneArePermanent() {
        telegram.failNext(1, 400, "Bad Request: message is too long");
        telegram.failNext(1, 400, "Bad Request: can't parse entities: Unsupported start tag \"foo\"");

        assertThat(sender.send("x")).isInstanceOfSatisfying(SendOutcome.Permanent.class,
                p -> assertThat(p.error()).contains("message is too long"));
        assertThat(sender.send("x")).isInstanceOf(SendOutcome.Permanent.class);
    }

    @Test
    void migratedChatIsFollowedAndTheSameTextArrivesInTheNewChat() {
        telegram.migrateNext("-1009999");

        SendOutcome outcome = sender.send("<b>order 42</b>");

        assertThat(outcome).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(telegram.requests()).extracting(FakeBotApi.Request::chatId).containsExactly(CHAT, "-1009999");
        assertThat(telegram.accepted()).singleElement().satisfies(r -> {
            assertThat(r.chatId()).isEqualTo("-1009999");
            assertThat(r.text()).isEqualTo("<b>order 42</b>");
        });
        assertThat(sender.status().chatId()).isEqualTo("-1009999");
        assertThat(sender.send("next")).isInstanceOf(SendOutcome.Delivered.class);
        assertThat(telegram.accepted().get(1).chatId()).isEqualTo("-1009999");
    }

    @Test
    void probeAsksForTheChatAndSendsNothing() {
        assertThat(sender.probe()).isEqualTo(new SendOutcome.Delivered(0));
        assertThat(telegram.chatLookups()).singleElement()
                .satisfies(r -> assertThat(r.chatId()).isEqualTo(CHAT));
        assertThat(telegram.requests()).isEmpty();
    }

    @Test
    void probeOfARefusedChatIsRefusedUntilTelegramRecovers() {
        telegram.refuseChat();
        assertThat(sender.probe()).isInstanceOf(SendOutcome.Refused.class);
        assertThat(sender.send("x")).isInstanceOf(SendOutcome.Refused.class);

        telegram.recover();
        assertThat(sender.probe()).isEqualTo(new SendOutcome.Delivered(0));
    }
}
