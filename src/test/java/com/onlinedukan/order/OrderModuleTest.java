package com.onlinedukan.order;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.LeaseWithoutRelay;
import com.onlinedukan.support.OneClassPerContext;
import org.junit.jupiter.api.parallel.ResourceLock;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * A module test of the order module: the order module and what it needs (the outbox, the web
 * module's problem answers, the cluster behind the outbox's retention) on a real server and
 * PostgreSQL, on a database of its own. No relay, stream, notifier or Telegram is started, and no
 * ops security (the orders API is open); an order's JSON has no downstream aspects (no
 * {@code notification}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
// The web module by name: the order module uses its types, not its beans, so Modulith would leave out the
// advice that answers every adapter's errors.
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.ALL_DEPENDENCIES, extraIncludes = "web",
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = DukanTestContext.class)
@Import(LeaseWithoutRelay.class)
@ResourceLock(providers = OneClassPerContext.class)
@TestPropertySource(properties = {
        "spring.autoconfigure.exclude=org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
public @interface OrderModuleTest {
}
