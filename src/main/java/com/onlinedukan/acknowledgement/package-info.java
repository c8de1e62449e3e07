/**
 * From delivered to handled: a member of staff takes each order by pressing its button in Telegram,
 * once (first press wins); an order nobody takes is reminded, then escalated, each step once.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Acknowledgement",
        allowedDependencies = { "notification", "notification::commands", "telegram", "cluster" })
package com.onlinedukan.acknowledgement;
