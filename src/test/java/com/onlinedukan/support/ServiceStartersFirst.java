package com.onlinedukan.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Set;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.platform.commons.support.AnnotationSupport;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The order test classes are handed to the parallel run in, longest waits first, so that the short
 * ones fill the gaps beside them instead of one long class running on alone at the end: classes
 * that start service instances of their own (several instances, the packaged jar, a context per
 * property run); then Spring Boot tests that break their context ({@code @DirtiesContext}: a fault
 * injected, waited out and recovered from); then the other Spring Boot tests; then the rest. Within
 * a group, classes with more tests first (they usually take longer), then by name, so a run's order
 * is the same every time.
 */
public final class ServiceStartersFirst implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparingInt((ClassDescriptor descriptor) -> -weight(descriptor.getTestClass()))
                .thenComparingInt(descriptor -> -tests(descriptor.getTestClass()))
                .thenComparing(descriptor -> descriptor.getTestClass().getName()));
    }

    /** Test methods of the class and of its nested classes (a parameterized test counts once). */
    static int tests(Class<?> testClass) {
        int tests = (int) Arrays.stream(testClass.getDeclaredMethods())
                .filter(method -> Arrays.stream(method.getAnnotations())
                        .anyMatch(annotation -> TESTS.contains(annotation.annotationType().getSimpleName())))
                .count();
        for (Class<?> nested : testClass.getDeclaredClasses()) {
            tests += tests(nested);
        }
        return tests;
    }

    private static final Set<String> TESTS = Set.of("Test", "ParameterizedTest", "TestFactory", "Property", "RepeatedTest");

    static int weight(Class<?> testClass) {
        boolean ownInstances = AnnotationSupport.isAnnotated(testClass, StartsTheService.class)
                || testClass.getSimpleName().endsWith("IT")
                || Arrays.stream(testClass.getDeclaredFields()).map(Field::getType)
                        .anyMatch(type -> type == Instances.class
                                || ConfigurableApplicationContext.class.isAssignableFrom(type));
        if (ownInstances) {
            return 3;
        }
        if (AnnotationSupport.isAnnotated(testClass, DirtiesContext.class)) {
            return 2;
        }
        return AnnotationSupport.isAnnotated(testClass, SpringBootTest.class)
                || Arrays.stream(testClass.getDeclaredFields()).anyMatch(field -> field.getType() == FakeBotApi.class) ? 1 : 0;
    }

    /** For a class that starts instances of the service where its fields do not show it. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface StartsTheService {
    }
}
