package com.onlinedukan.acknowledgement;

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
 * A module test of the acknowledgement module: the presses, reminders and escalations with what
 * they need (the notifier that delivers the messages they are about, the Telegram client, the
 * cluster's lease) on PostgreSQL, Redis and the fake Bot API, on a database of its own. No relay
 * and no web server run: orders' events reach the stream as the relay would put them there
 * ({@link com.onlinedukan.support.OrderEvents}), the cluster module takes the instance's turns at
 * the lease (the leader polls for the staff's presses and purges), and presses come as Telegram
 * serves them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.ALL_DEPENDENCIES)
@ContextConfiguration(initializers = DukanTestContext.class)
@Import(LeaseWithoutRelay.class)
@ResourceLock(providers = OneClassPerContext.class)
public @interface AcknowledgementModuleTest {
}
