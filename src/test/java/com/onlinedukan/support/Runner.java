package com.onlinedukan.support;

import java.util.HashMap;
import java.util.Map;

/**
 * What the programs beside the tests (the benchmark, the acknowledgement run, the chaos run) share as
 * command-line programs: {@code --key=value} arguments (a bare {@code --flag} is {@code true}), and an
 * exit status from one run that cleans up after itself however it ends: 0 when it passed, 1 when it
 * found a failure, 2 when it broke. A kill (Ctrl-C, a CI timeout) still stops what the run started.
 */
public final class Runner {

    /** One run of a program: whether what it checked held. */
    @FunctionalInterface
    public interface Run {
        boolean run() throws Exception;
    }

    /** A step of the clean-up; one that fails is reported, and the exit status stays the run's. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    private Runner() {
    }

    public static Map<String, String> arguments(String[] argv) {
        Map<String, String> args = new HashMap<>();
        for (String a : argv) {
            String[] kv = a.replaceFirst("^--", "").split("=", 2);
            args.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        return args;
    }

    /**
     * Runs, cleans up, and exits with the run's status.
     *
     * @param onKill what must not outlive this JVM if it is killed mid-run (the service processes it started)
     * @param cleanUp what ends the run in order, whatever its outcome
     */
    public static void exit(Run run, Runnable onKill, Step cleanUp) {
        Runtime.getRuntime().addShutdownHook(new Thread(onKill));
        int status;
        try {
            status = run.run() ? 0 : 1;
        }
        catch (Throwable e) {
            e.printStackTrace();
            status = 2;
        }
        finally {
            try {
                cleanUp.run();
            }
            catch (Exception e) {
                e.printStackTrace();
            }
        }
        System.exit(status);
    }
}
