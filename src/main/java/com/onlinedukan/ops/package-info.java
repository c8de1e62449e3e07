/**
 * What SREs see and do: the pipeline's state, notifications and their history, replay, pause
 * and resume, the audit of every such action; behind the {@code dukan.ops} credential.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Ops", allowedDependencies = {
        "notification::reads", "notification::commands", "notification::events", "relay", "stream", "cluster", "telegram",
        "acknowledgement", "web" })
package com.onlinedukan.ops;
