/**
 * The Telegram Bot API client: sends one HTML message to the shop's staff chat within the bot's
 * and the chat's budgets (shared by all instances), behind a circuit breaker, and says how it went.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Telegram", allowedDependencies = {})
package com.onlinedukan.telegram;
