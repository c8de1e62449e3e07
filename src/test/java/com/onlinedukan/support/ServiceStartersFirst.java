package com.onlinedukan.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.platform.commons.support.AnnotationSupport;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The order test classes are handed to the parallel run in, longest waits first, so that the short
 * ones fill the gaps beside them instead of one long class running on alone at the end:
 * <ol>
 * <li>Spring Boot tests that share one cached context with other classes: they take turns on it
 * ({@link OneClassPerContext}), so together they are one long chain, which must start early;</li>
 * <li>classes that start service instances of their own (several instances, the packaged jar, a
 * context per property run);</li>
 * <li>Spring Boot tests that break their context ({@code @DirtiesContext}: a fault injected, waited
 * out and recovered from);</li>
 * <li>the other Spring Boot tests, then the rest.</li>
 * </ol>
 * By name within each group, so a run's order is the same every time.
 */
public final class ServiceStartersFirst implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        Map<Class<?>, String> contexts = context.getClassDescriptors().stream().map(ClassDescriptor::getTestClass)
                .filter(ServiceStartersFirst::springBootTest)
                .collect(Collectors.toMap(Function.identity(), OneClassPerContext::contextKey));
        Map<String, Long> classesPerContext = contexts.values().stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        context.getClassDescriptors().sort(Comparator
                .comparingLong((ClassDescriptor descriptor) -> contexts.containsKey(descriptor.getTestClass())
                        ? -classesPerContext.get(contexts.get(descriptor.getTestClass())) : 0)
                .thenComparingInt(descriptor -> -weight(descriptor.getTestClass()))
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
        return springBootTest(testClass)
                || Arrays.stream(testClass.getDeclaredFields()).anyMatch(field -> field.getType() == FakeBotApi.class) ? 1 : 0;
    }

    private static boolean springBootTest(Class<?> testClass) {
        return AnnotationSupport.isAnnotated(testClass, SpringBootTest.class);
    }

    /** For a class that starts instances of the service where its fields do not show it. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface StartsTheService {
    }
}
