package com.onlinedukan.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The faults of a run, drawn from a seed before the run starts so the same seed gives the same plan:
 * two lanes run side by side, one for the processes, databases and network, one for Telegram. Each
 * lane goes through its kinds in a shuffled order (every kind once per round), with a random
 * duration, target and pause before each.
 */
final class FaultPlan {

    /** Every fault the runner can inject; {@code infrastructure} says which lane it runs in. */
    enum Kind {
        KILL_LEADER("SIGKILL of the relay leader, restarted", true),
        KILL_STANDBY("SIGKILL of the standby, restarted", true),
        STOP_INSTANCE("SIGSTOP of an instance (longer than the relay lease), then SIGCONT", true),
        POSTGRES_RESTART_FAST("PostgreSQL restarted (pg_ctl stop -m fast)", true),
        POSTGRES_RESTART_IMMEDIATE("PostgreSQL crashed and restarted (pg_ctl stop -m immediate, crash recovery)", true),
        REDIS_RESTART_EMPTY("Redis stopped, its AOF and dump deleted, started empty", true),
        POSTGRES_CUT_FROZEN("an instance's PostgreSQL connections frozen (no FIN, no RST; new ones hang)", true),
        POSTGRES_CUT_RESET("an instance's PostgreSQL connections reset, new ones refused", true),
        REDIS_CUT_FROZEN("an instance's Redis connections frozen (no FIN, no RST; new ones hang)", true),
        REDIS_CUT_RESET("an instance's Redis connections reset, new ones refused", true),
        TELEGRAM_5XX("Telegram answers 502 to every call", false),
        TELEGRAM_429("Telegram answers 429 with retry_after to every send until it ends", false),
        TELEGRAM_HANG("Telegram accepts connections and never answers (longer than the client's timeout)", false),
        TELEGRAM_SLOW("Telegram takes 0.3-1.6 x the client's timeout to answer (the message is in the chat at once)", false),
        TELEGRAM_MIGRATION("the chat becomes a supergroup: sends to the old id get 400 with migrate_to_chat_id", false);

        final String description;
        final boolean infrastructure;

        Kind(String description, boolean infrastructure) {
            this.description = description;
            this.infrastructure = infrastructure;
        }
    }

    /** Kinds that can make an instance send a message whose success it never records (see ARCHITECTURE.md, Chaos run). */
    static final Set<Kind> LOSES_ACKNOWLEDGEMENTS = EnumSet.of(Kind.KILL_LEADER, Kind.KILL_STANDBY, Kind.STOP_INSTANCE,
            Kind.POSTGRES_RESTART_FAST, Kind.POSTGRES_RESTART_IMMEDIATE, Kind.POSTGRES_CUT_FROZEN, Kind.POSTGRES_CUT_RESET);

    /**
     * One planned fault.
     *
     * @param pauseBeforeMillis calm time in its lane before it starts
     * @param durationMillis how long it lasts (for a kill, how long the instance stays down; 0 for a migration)
     * @param instance which instance, for the kinds that hit one and do not pick it by role
     * @param parameter a kind's own number: retry_after seconds for a 429
     */
    record Planned(Kind kind, long pauseBeforeMillis, long durationMillis, int instance, int parameter) {
    }

    final long seed;
    final List<Planned> infrastructure = new ArrayList<>();
    final List<Planned> telegram = new ArrayList<>();

    /**
     * @param rounds how many rounds of every kind to draw (a long run stops when its time is up)
     * @param leaseMillis the relay lease: a stop or a frozen PostgreSQL connection outlasts it
     */
    FaultPlan(long seed, int rounds, long leaseMillis, int instances) {
        this.seed = seed;
        Random random = new Random(seed);
        for (int round = 0; round < rounds; round++) {
            for (Kind kind : shuffled(random, true)) {
                infrastructure.add(draw(random, kind, leaseMillis, instances, round == 0 ? 2500 : 6000));
            }
            for (Kind kind : shuffled(random, false)) {
                telegram.add(draw(random, kind, leaseMillis, instances, round == 0 ? 6000 : 12000));
            }
        }
    }

    private static List<Kind> shuffled(Random random, boolean infrastructure) {
        List<Kind> kinds = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            if (kind.infrastructure == infrastructure) {
                kinds.add(kind);
            }
        }
        Collections.shuffle(kinds, random);
        return kinds;
    }

    private static Planned draw(Random random, Kind kind, long lease, int instances, long maxPause) {
        long pause = 1000 + (long) (random.nextDouble() * (maxPause - 1000));
        int instance = random.nextInt(instances);
        long duration = switch (kind) {
            case KILL_LEADER, KILL_STANDBY -> between(random, 500, 4000);
            case STOP_INSTANCE, POSTGRES_CUT_FROZEN -> lease + between(random, 1500, 5000);
            case POSTGRES_RESTART_FAST, POSTGRES_RESTART_IMMEDIATE, REDIS_RESTART_EMPTY -> between(random, 500, 3000);
            case POSTGRES_CUT_RESET, REDIS_CUT_RESET -> between(random, 500, 3000);
            case REDIS_CUT_FROZEN -> between(random, 3000, 10000);
            case TELEGRAM_5XX -> between(random, 3000, 10000);
            case TELEGRAM_429 -> between(random, 2000, 5000);
            case TELEGRAM_HANG -> between(random, 3000, 8000);
            case TELEGRAM_SLOW -> between(random, 4000, 10000);
            case TELEGRAM_MIGRATION -> 0;
        };
        int parameter = kind == Kind.TELEGRAM_429 ? (int) Math.max(1, duration / 1000) : 0;
        return new Planned(kind, pause, kind == Kind.TELEGRAM_429 ? parameter * 1000L : duration, instance, parameter);
    }

    private static long between(Random random, long low, long high) {
        return low + (long) (random.nextDouble() * (high - low));
    }
}
