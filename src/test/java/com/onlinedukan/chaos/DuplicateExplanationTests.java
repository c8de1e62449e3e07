package com.onlinedukan.chaos;

import com.onlinedukan.support.FakeBotApi;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the chaos report accepts as the reason for a second copy of a message. Property: a step of
 * the database's clock forward explains a copy whose previous copy reached Telegram from
 * {@link ChaosReport#BEFORE} before the step to one notification lease after it (every claim's lease,
 * kept on that clock, ran out at the step), on any instance, and nothing else; a slot dropped,
 * hostile stream entries, an unfamiliar refusal and slow clients explain no copy at any time, so the
 * ledger must stop every repeat they could provoke.
 */
class DuplicateExplanationTests {

    private static final long LEASE = TimeUnit.SECONDS.toNanos(10);
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    private static ChaosRun.Fault fault(FaultPlan.Kind kind, int instance, long start, long end) {
        return new ChaosRun.Fault(kind, instance < 0 ? "all" : "instance-" + (char) ('a' + instance), instance, start, end,
                Instant.EPOCH, "");
    }

    @Test
    void aCopyInFlightWhenTheDatabaseClockStepsForwardIsExplained() {
        long start = 1000 * S;
        long end = start + 25 * S;
        ChaosRun.Fault clock = fault(FaultPlan.Kind.DB_CLOCK_AHEAD, -1, start, end);
        Random random = new Random();
        for (int i = 0; i < 2000; i++) {
            // Anywhere from 10 s before the step to 10 s after the clock stepped back, by either instance, late or not.
            long at = start - 10 * S + (long) (random.nextDouble() * (end - start + 20 * S));
            FakeBotApi.Copy before = new FakeBotApi.Copy(at, random.nextInt(2), random.nextBoolean());
            FakeBotApi.Copy copy = new FakeBotApi.Copy(at + S, random.nextInt(2), false);
            boolean inWindow = at >= start - ChaosReport.BEFORE && at <= start + LEASE;
            assertThat(ChaosReport.explains(clock, before, copy, LEASE))
                    .as("previous copy %.2f s after the step", (at - start) / 1e9).isEqualTo(inWindow);
        }
    }

    @Test
    void theClockSteppingBackExplainsNothing() {
        long start = 1000 * S;
        long end = start + 25 * S;
        ChaosRun.Fault clock = fault(FaultPlan.Kind.DB_CLOCK_AHEAD, -1, start, end);
        for (long at = end - ChaosReport.BEFORE; at <= end + 10 * S; at += S / 4) {
            assertThat(ChaosReport.explains(clock, new FakeBotApi.Copy(at, 0, false), new FakeBotApi.Copy(at + S, 1, false),
                    LEASE)).as("%.2f s after the step back", (at - end) / 1e9).isFalse();
        }
    }

    @Test
    void theOtherNewFaultsExplainNoCopy() {
        Set<FaultPlan.Kind> kinds = EnumSet.of(FaultPlan.Kind.SLOT_DROPPED, FaultPlan.Kind.STREAM_HOSTILE,
                FaultPlan.Kind.TELEGRAM_REFUSAL, FaultPlan.Kind.SLOW_CLIENTS);
        long start = 1000 * S;
        for (FaultPlan.Kind kind : kinds) {
            for (int instance = -1; instance < 2; instance++) {
                ChaosRun.Fault fault = fault(kind, instance, start, start + 8 * S);
                for (long at = start - 5 * S; at <= start + 20 * S; at += S / 4) {
                    for (int sender = 0; sender < 2; sender++) {
                        for (boolean late : new boolean[] {false, true}) {
                            assertThat(ChaosReport.explains(fault, new FakeBotApi.Copy(at, sender, late),
                                    new FakeBotApi.Copy(at + S, 1 - sender, false), LEASE))
                                    .as("%s on %d, copy at %.2f s", kind, instance, (at - start) / 1e9).isFalse();
                        }
                    }
                }
            }
        }
    }
}
