/**
 * Each order event becomes one Telegram notification, sent once: the delivery ledger keyed by the
 * event id, the state machine that moves it on Telegram's answers, the dispatcher, the messages.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Notification", allowedDependencies = { "outbox", "stream", "cluster", "relay", "telegram", "order" })
package com.onlinedukan.notification;
