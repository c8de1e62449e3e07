/**
 * Redis Stream consumer that delivers each outbox event to the shop's Telegram chat, once, with
 * a durable delivery ledger keyed by the event id, retries with backoff, and dead letters.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Notification")
package com.onlinedukan.notification;
