package com.onlinedukan.support;

import java.util.ArrayList;
import java.util.List;

import com.onlinedukan.OnlineDukanApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Whole service instances a test runs side by side, each a Spring Boot application, closed together. */
public final class Instances implements AutoCloseable {

    private final String[] args;
    private final List<ConfigurableApplicationContext> started = new ArrayList<>();

    /** Instances started with these command-line arguments. */
    public Instances(String... args) {
        this.args = args.clone();
    }

    public ConfigurableApplicationContext start(DukanTestContext context) {
        ConfigurableApplicationContext instance = new SpringApplicationBuilder(OnlineDukanApplication.class)
                .initializers(context)
                .run(args);
        started.add(instance);
        return instance;
    }

    /** Places {@code count} orders through this instance's HTTP API; their ids. */
    public static List<String> place(ConfigurableApplicationContext instance, String name, int count) {
        return new Orders(((WebServerApplicationContext) instance).getWebServer().getPort()).placeMany(name, count);
    }

    /** Closes every instance started so far. */
    @Override
    public void close() {
        started.forEach(ConfigurableApplicationContext::close);
        started.clear();
    }
}
