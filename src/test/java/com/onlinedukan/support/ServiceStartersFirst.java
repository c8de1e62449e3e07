package com.onlinedukan.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Comparator;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.platform.commons.support.AnnotationSupport;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The order test classes are handed to the parallel run in: those that start service instances of
 * their own (several instances, the packaged jar, a context per property run) first, since they
 * wait longest; then Spring Boot tests that break their context ({@code @DirtiesContext}: a fault
 * injected, waited out and recovered from); then the other Spring Boot tests; then the rest. The short ones
 * fill the gaps beside the long ones instead of one long class running on alone at the end. By name
 * within each group, so a run's order is the same every time.
 */
public final class ServiceStartersFirst implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparingInt((ClassDescriptor descriptor) -> -weight(descriptor.getTestClass()))
                .thenComparing(descriptor -> descriptor.getTestClass().getName()));
    }

    static int weight(Class<?> testClass) {
        boolean ownInstances = AnnotationSupport.isAnnotated(testClass, StartsTheService.class)
                || testClass.getSimpleName().endsWith("IT")
                || Arrays.stream(testClass.getDeclaredFields()).map(Field::getType)
                        .anyMatch(type -> type == Instances.class || ConfigurableApplicationContext.class.isAssignableFrom(type));
        if (ownInstances) {
            return 3;
        }
        if (AnnotationSupport.isAnnotated(testClass, DirtiesContext.class)) {
            return 2;
        }
        boolean springBootTest = AnnotationSupport.isAnnotated(testClass, SpringBootTest.class)
                || Arrays.stream(testClass.getDeclaredFields()).anyMatch(field -> field.getType() == FakeBotApi.class);
        return springBootTest ? 1 : 0;
    }

    /** For a class that starts instances of the service where its fields do not show it. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface StartsTheService {
    }
}
