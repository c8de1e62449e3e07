package com.onlinedukan.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.parallel.ResourceLock;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole service on a random port against real PostgreSQL, Redis, Debezium and a fake
 * Telegram Bot API reached through the real telegrambots client. Tagged {@code full-stack}, the top
 * layer of the suite ({@code ./mvnw verify -Dgroups='!full-stack'} runs the layers below it).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("full-stack")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = DukanTestContext.class)
@ResourceLock(providers = OneClassPerContext.class)
public @interface DukanTest {
}
