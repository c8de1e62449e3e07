package com.onlinedukan.notification;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends what the ledger says is due: scheduled retries, and first attempts an instance claimed
 * but never finished (its lease ran out). The ledger, not Redis, remembers pending retries, so
 * they survive restarts of the service and of Redis.
 */
@Component
class RetryPoller {

    private static final Logger log = LoggerFactory.getLogger(RetryPoller.class);
    private static final int BATCH = 20;

    private final Delivery delivery;

    RetryPoller(Delivery delivery) {
        this.delivery = delivery;
    }

    @Scheduled(fixedDelayString = "${dukan.notification.retry-poll-interval:250ms}")
    void attemptDue() {
        try {
            while (delivery.attemptDue(BATCH) == BATCH) {
                // a full batch: more may be due
            }
        }
        catch (RuntimeException e) {
            log.warn("Retry poll failed: {}", e.getMessage());
        }
    }
}
