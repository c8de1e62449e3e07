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
        TELEGRAM_MIGRATION("the chat becomes a supergroup: sends to the old id get 400 with migrate_to_chat_id", false),
        SLOT_DROPPED("the leader's walsender terminated and its replication slot dropped with SQL, while orders flow", true),
        STREAM_HOSTILE("hostile entries XADDed as raw bytes onto the service's stream key (NUL bytes, invalid UTF-8, "
                + "huge values, empty and thousands of fields, forged ids of real and unknown events)", true),
        TELEGRAM_REFUSAL("Telegram answers a chat-level refusal no one listed (e.g. 400 PEER_ID_INVALID) to every call, "
                + "then recovers; the runner resumes delivery if no probe did", false),
        SLOW_CLIENTS("tens of raw sockets send POST /api/orders headers to an instance and trickle the body", true),
        DB_CLOCK_AHEAD("PostgreSQL's wall clock stepped ahead of the service's (libfaketime), then back", true);

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
     * Kinds that step the database's clock forward: every claim's lease (on that clock) runs out at
     * once, so a message in flight at the step may be claimed and sent again by another instance.
     */
    static final Set<Kind> STEPS_THE_LEASE_CLOCK = EnumSet.of(Kind.DB_CLOCK_AHEAD);

    /**
     * Chat-level refusals (about the chat or the bot's place in it, not about one message), as Telegram
     * words them, that neither the contract nor the product lists by name; each refusal is drawn from
     * these by the seed.
     */
    static final List<Refusal> REFUSALS = List.of(
            new Refusal(400, "Bad Request: PEER_ID_INVALID"),
            new Refusal(400, "Bad Request: CHANNEL_PRIVATE"),
            new Refusal(400, "Bad Request: CHAT_RESTRICTED"),
            new Refusal(400, "Bad Request: CHAT_ADMIN_REQUIRED"),
            new Refusal(400, "Bad Request: CHAT_SEND_PLAIN_FORBIDDEN"),
            new Refusal(400, "Bad Request: USER_BANNED_IN_CHANNEL"),
            new Refusal(400, "Bad Request: CHAT_GUEST_SEND_FORBIDDEN"),
            new Refusal(400, "Bad Request: chat is deactivated"),
            new Refusal(400, "Bad Request: TOPIC_CLOSED"),
            new Refusal(403, "Forbidden: bot can't send messages to the chat"));

    /** A Telegram error answer: its {@code error_code} and {@code description}. */
    record Refusal(int code, String description) {
    }

    /**
     * One planned fault.
     *
     * @param pauseBeforeMillis calm time in its lane before it starts
     * @param durationMillis how long it lasts (for a kill, how long the instance stays down; 0 for a migration)
     * @param instance which instance, for the kinds that hit one and do not pick it by role
     * @param parameter a kind's own number: retry_after seconds for a 429; the refusal's index in
     *     {@link #REFUSALS}; how many sockets trickle; how many seconds the database's clock steps ahead
     * @param variant a kind's own second draw: what the hostile entries vary by (sizes, counts, order)
     */
    record Planned(Kind kind, long pauseBeforeMillis, long durationMillis, int instance, int parameter, long variant) {
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
            case TELEGRAM_MIGRATION, SLOT_DROPPED -> 0;
            case STREAM_HOSTILE -> between(random, 2000, 6000);
            case TELEGRAM_REFUSAL -> between(random, 3000, 9000);
            case SLOW_CLIENTS -> between(random, 5000, 15000);
            case DB_CLOCK_AHEAD -> lease + between(random, 5000, 15000);
        };
        int parameter = switch (kind) {
            case TELEGRAM_429 -> (int) Math.max(1, duration / 1000);
            case TELEGRAM_REFUSAL -> random.nextInt(REFUSALS.size());
            case SLOW_CLIENTS -> (int) between(random, 20, 90);
            case DB_CLOCK_AHEAD -> (int) between(random, 30, 120);
            default -> 0;
        };
        long variant = random.nextLong();
        return new Planned(kind, pause, kind == Kind.TELEGRAM_429 ? parameter * 1000L : duration, instance, parameter,
                variant);
    }

    private static long between(Random random, long low, long high) {
        return low + (long) (random.nextDouble() * (high - low));
    }
}
