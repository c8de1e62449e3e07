package com.onlinedukan.support;

import org.springframework.boot.logging.LogFile;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.logback.LogbackLoggingSystem;

/**
 * Spring Boot's Logback setup, one application at a time (the test JVM's logging system, set in
 * pom.xml). The suite starts applications side by side in one JVM, and they share one Logback
 * context: Boot's setup resets it, puts its properties and builds its appenders from them, so a
 * second start resetting it in between left the first one reading an undefined property
 * ({@code Unknown format 'CONSOLE_LOG_STRUCTURED_FORMAT_IS_UNDEFINED'}, an instance that failed
 * to start in a CI run).
 */
public class OneAtATimeLogging extends LogbackLoggingSystem {

    private static final Object SETUP = new Object();

    public OneAtATimeLogging(ClassLoader classLoader) {
        super(classLoader);
    }

    @Override
    public void beforeInitialize() {
        synchronized (SETUP) {
            super.beforeInitialize();
        }
    }

    @Override
    public void initialize(LoggingInitializationContext context, String configLocation, LogFile logFile) {
        synchronized (SETUP) {
            super.initialize(context, configLocation, logFile);
        }
    }

    @Override
    public void cleanUp() {
        synchronized (SETUP) {
            super.cleanUp();
        }
    }
}
