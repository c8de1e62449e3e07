/**
 * The Redis Stream the outbox events travel on: publishing a batch, reading it in a consumer group
 * through {@link com.onlinedukan.stream.OutboxStream}, claiming what a dead consumer left, and
 * trimming what every group acknowledged.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Stream", allowedDependencies = "outbox")
package com.onlinedukan.stream;
