package com.onlinedukan.notification;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Orders;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;

import static org.awaitility.Awaitility.await;

/**
 * The reconciler's net does not depend on the JVM's clock: on a service whose clock is a day ahead
 * of PostgreSQL's, an order the stream never brings to the ledger is still found and delivered,
 * in rounds after the first as well as in the first.
 */
@DukanTest
@Import(ReconcilerClockTests.DayAhead.class)
@TestPropertySource(properties = { "dukan.reconciler.grace=1s",
        "dukan.reconciler.interval=1h" })
class ReconcilerClockTests {

    @TestConfiguration(proxyBeanMethods = false)
    static class DayAhead {

        @Bean
        @Primary
        Clock dayAhead() {
            return Clock.offset(Clock.systemUTC(), Duration.ofDays(1));
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    FakeBotApi telegram;

    @Autowired
    Inbox inbox;

    @Autowired
    Reconciler reconciler;

    @Test
    void ordersTheStreamNeverBroughtAreDeliveredWhenTheJvmClockIsADayAheadOfTheDatabase() {
        inbox.stop();
        try {
            reconciler.reconcile();
            for (int round = 0; round < 3; round++) {
                List<String> orders = new Orders(port).placeMany("Clock ahead " + round, 2);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
                    reconciler.reconcile();
                    return orders.stream().allMatch(id -> !telegram.acceptedMentioning(id).isEmpty());
                });
                telegram.awaitEachAcceptedOnce(orders, Duration.ofSeconds(1));
            }
        }
        finally {
            inbox.start();
        }
    }
}
