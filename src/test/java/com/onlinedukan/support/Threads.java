package com.onlinedukan.support;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Virtual threads where the JDK has them (the runner compiles for 17 and runs on 21+), else a cached pool. */
public final class Threads {

    private Threads() {
    }

    public static ExecutorService perTask(String name) {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        }
        catch (ReflectiveOperationException e) {
            return Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, name);
                thread.setDaemon(true);
                return thread;
            });
        }
    }
}
