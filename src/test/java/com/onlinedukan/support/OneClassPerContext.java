package com.onlinedukan.support;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.parallel.ResourceLocksProvider;

import org.springframework.test.context.BootstrapUtils;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Test classes run side by side in one JVM (junit-platform.properties), and those whose Spring
 * configuration is the same share one cached context: its fake Bot API, its delivery switch, its
 * ledger. Two such classes must not run at the same time, or one's paused delivery or scripted
 * Telegram failure becomes the other's surprise. This lock is the context's cache key, so a class
 * waits only for the classes that would share its context, never for the others.
 */
public final class OneClassPerContext implements ResourceLocksProvider {

    @Override
    public Set<Lock> provideForClass(Class<?> testClass) {
        MergedContextConfiguration context = BootstrapUtils.resolveTestContextBootstrapper(testClass)
                .buildMergedContextConfiguration();
        return Set.of(new Lock("spring-context-" + Integer.toHexString(context.hashCode())));
    }

    @Override
    public Set<Lock> provideForNestedClass(List<Class<?>> enclosingInstanceTypes, Class<?> testClass) {
        return provideForClass(testClass);
    }
}
