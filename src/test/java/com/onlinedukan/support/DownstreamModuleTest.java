package com.onlinedukan.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * A module test of a module downstream of the relay (the notification module, the acknowledgement
 * module: the test class's package names it) with what it needs, on PostgreSQL, Redis and a fake Bot
 * API, on a database of its own. No relay runs, so no Debezium engine starts and no replication slot
 * is made: events reach the ledger as the test registers them, or reach the stream as the relay
 * would put them there ({@link OrderEvents}); the cluster module takes the instance's turns at the
 * lease. No web server either. A test that replaces Telegram does it with {@code @TestBean}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.ALL_DEPENDENCIES)
@ContextConfiguration(initializers = DukanTestContext.class)
@Import({ LeaseWithoutRelay.class, OrderEvents.class })
@ResourceLock(providers = OneClassPerContext.class)
public @interface DownstreamModuleTest {
}
