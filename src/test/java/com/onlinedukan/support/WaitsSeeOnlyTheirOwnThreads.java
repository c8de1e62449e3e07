package com.onlinedukan.support;

import org.awaitility.Awaitility;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Awaitility fails a wait when any thread of the JVM dies of an uncaught exception while it waits.
 * With test classes running side by side in one JVM, that made one class's wait fail with another
 * class's thread (a {@code SlotLossTests} client interrupted at its end failed a wait of
 * {@code RedisTopologyTests}). Turned off for the whole run, before any test: a test that cares
 * about its own threads checks their results itself. Registered in
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}.
 */
public final class WaitsSeeOnlyTheirOwnThreads implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
    }
}
