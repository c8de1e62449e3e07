/**
 * The instances of one database as a cluster: one identity per instance, the lease and its
 * renewals, and who leads (the leader runs the relay, the reconciler and the purges).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Cluster", allowedDependencies = {})
package com.onlinedukan.cluster;
