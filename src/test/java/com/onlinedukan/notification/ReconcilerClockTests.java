package com.onlinedukan.notification;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.onlinedukan.support.DownstreamModuleTest;
import com.onlinedukan.support.FakeBotApi;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;

import static org.awaitility.Awaitility.await;

/**
 * The reconciler's net does not depend on the JVM's clock: on a service whose clock is a day ahead
 * of PostgreSQL's, an order the stream never brings to the ledger is still found and delivered,
 * in rounds after the first as well as in the first. A module test: the events are written to
 * the outbox as the order module writes them, and no relay runs.
 */
@DownstreamModuleTest
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

    @Autowired
    DataSource dataSource;

    @Autowired
    FakeBotApi telegram;

    @Autowired
    Inbox inbox;

    @Autowired
    Reconciler reconciler;

    @Test
    void ordersTheStreamNeverBroughtAreDeliveredWhenTheJvmClockIsADayAheadOfTheDatabase() throws Exception {
        inbox.stop();
        try {
            reconciler.reconcile();
            for (int round = 0; round < 3; round++) {
                List<String> orders = new ArrayList<>();
                try (Connection connection = dataSource.getConnection()) {
                    for (int i = 0; i < 2; i++) {
                        orders.add(ReconcilerNetTests.appendEvent(connection, "0 seconds", "Clock ahead " + round));
                    }
                }
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
