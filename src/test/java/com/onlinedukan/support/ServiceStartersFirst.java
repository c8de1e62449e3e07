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

/**
 * The order test classes are handed to the parallel run in: those that start the service (a Spring
 * Boot test, instances of their own, the packaged jar) first, since they wait longest; the short ones
 * then fill the gaps beside them instead of leaving one long class to run on alone at the end. By
 * name within each group, so a run's order is the same every time.
 */
public final class ServiceStartersFirst implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparing((ClassDescriptor descriptor) -> !startsTheService(descriptor.getTestClass()))
                .thenComparing(descriptor -> descriptor.getTestClass().getName()));
    }

    static boolean startsTheService(Class<?> testClass) {
        return AnnotationSupport.isAnnotated(testClass, SpringBootTest.class)
                || AnnotationSupport.isAnnotated(testClass, StartsTheService.class)
                || testClass.getSimpleName().endsWith("IT")
                || Arrays.stream(testClass.getDeclaredFields()).map(Field::getType)
                        .anyMatch(type -> type == Instances.class || type == FakeBotApi.class);
    }

    /** For a class that starts the service where its fields and annotations do not show it. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface StartsTheService {
    }
}
