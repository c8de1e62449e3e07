/**
 * The transactional outbox: the one way to record an event, in the caller's transaction, and its own
 * retention (a row goes once every registered consumer has accounted for it; the purge runs on the leader).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Outbox", allowedDependencies = { "cluster" })
package com.onlinedukan.outbox;
