package com.onlinedukan.notification;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.LeaseWithoutRelay;
import com.onlinedukan.support.OneClassPerContext;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * A module test of the notification module: the ledger, the dispatcher and the inbox with what
 * they need (the outbox, the stream on Redis, the cluster's lease, the Telegram client) on
 * PostgreSQL and Redis, on a database of its own. No relay runs, so no Debezium engine starts and
 * no replication slot is made: events reach the ledger as the test registers them. A test that
 * replaces Telegram does it with {@code @TestBean} ({@link DeliveryStateMachineTests.ScriptedTelegram}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.ALL_DEPENDENCIES)
@ContextConfiguration(initializers = DukanTestContext.class)
@Import(LeaseWithoutRelay.class)
@ResourceLock(providers = OneClassPerContext.class)
public @interface NotificationModuleTest {
}
