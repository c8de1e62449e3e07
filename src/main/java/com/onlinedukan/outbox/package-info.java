/**
 * The transactional outbox: the one way to record an event, in the caller's transaction.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Outbox", allowedDependencies = {})
package com.onlinedukan.outbox;
