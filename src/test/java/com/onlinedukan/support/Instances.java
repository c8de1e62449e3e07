package com.onlinedukan.support;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.onlinedukan.OnlineDukanApplication;
import com.onlinedukan.support.DukanTestContext.TestDatabase;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Whole service instances a test runs side by side, each a Spring Boot application, closed together.
 * Registered as an extension ({@code @RegisterExtension}), it also cleans up after each test: it
 * closes the instances, then what the test runs {@link #alongside} them (the fake Bot API, a proxy),
 * then drops the replication slot of every database an instance used, as slots are global to the
 * PostgreSQL cluster and one nobody reads keeps its WAL.
 */
public final class Instances implements AutoCloseable, AfterEachCallback {

    private final String[] args;
    private final List<ConfigurableApplicationContext> started = new ArrayList<>();
    private final Deque<AutoCloseable> alongside = new ArrayDeque<>();
    private final Set<String> slots = new LinkedHashSet<>();

    /** Instances started with these command-line arguments. */
    public Instances(String... args) {
        this.args = args.clone();
    }

    public ConfigurableApplicationContext start(DukanTestContext context) {
        ConfigurableApplicationContext instance = new SpringApplicationBuilder(OnlineDukanApplication.class)
                .initializers(context)
                .run(args);
        started.add(instance);
        instance.getBeanProvider(TestDatabase.class).ifAvailable(database -> slots.add(database.slotName()));
        return instance;
    }

    /** {@code resource}, closed after the instances at the end of the test (the last one first). */
    public <T extends AutoCloseable> T alongside(T resource) {
        alongside.push(resource);
        return resource;
    }

    /** Places {@code count} orders through this instance's HTTP API; their ids. */
    public static List<String> place(ConfigurableApplicationContext instance, String name, int count) {
        return new Orders(((WebServerApplicationContext) instance).getWebServer().getPort()).placeMany(name, count);
    }

    /** Closes every instance started so far (a test may close them to restart the service). */
    @Override
    public void close() {
        started.forEach(ConfigurableApplicationContext::close);
        started.clear();
    }

    @Override
    public void afterEach(ExtensionContext test) throws Exception {
        close();
        while (!alongside.isEmpty()) {
            alongside.pop().close();
        }
        slots.forEach(TestServers.get()::dropSlot);
        slots.clear();
    }
}
