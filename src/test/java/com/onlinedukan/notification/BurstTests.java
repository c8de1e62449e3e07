package com.onlinedukan.notification;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.onlinedukan.support.DownstreamModuleTest;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.OrderEvents;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A burst of orders to one chat drains at the allowed rate, as digests, without a single 429. A
 * module test: the hundred events reach the stream as the relay puts them there ({@link OrderEvents}).
 */
@DownstreamModuleTest
@DirtiesContext
// Telegram's budgets as in production (tests run with them lifted): this test is about them.
@TestPropertySource(properties = { "dukan.telegram.rate.global-per-second=30",
        "dukan.telegram.rate.per-chat-per-minute=20", "dukan.telegram.rate.per-chat-per-second=1" })
class BurstTests {

    @Autowired
    OrderEvents events;

    @Autowired
    FakeBotApi telegram;

    @Test
    void aHundredOrdersReachOneChatWithinAMinuteInAtMostTwentyMessages() {
        telegram.limitEachChatTo(20);
        String marker = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = events.placeMany("Burst " + marker, 100);

        telegram.awaitEachAcceptedOnce(ids, Duration.ofSeconds(60));
        long messages = telegram.accepted().stream().filter(r -> r.text().contains("Burst " + marker)).count();
        assertThat(messages).isLessThanOrEqualTo(20);
        assertThat(telegram.rateLimitedCount()).isZero();
        System.out.printf("burst: 100 orders delivered in %d messages%n", messages);
    }
}
