package com.onlinedukan.ops;

import com.onlinedukan.notification.DeliveryPause;
import com.onlinedukan.notification.Notifications;
import com.onlinedukan.notification.ReplayScope;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What SREs do to the pipeline, each action and its audit record in one transaction: both
 * happen, or neither. A bulk replay is the exception, since it commits in chunks: its audit
 * record is written before the first chunk and corrected to the total after the last, so no
 * replayed chunk is ever unaudited.
 */
@Service
public class Operations {

    private final Notifications notifications;
    private final OpsAudit audit;
    private final TransactionTemplate transaction;

    Operations(Notifications notifications, OpsAudit audit, PlatformTransactionManager transactions) {
        this.notifications = notifications;
        this.audit = audit;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** Replays what the scope names; returns how many notifications were put back to PENDING. */
    public int replay(ReplayScope scope, String actor) {
        if (scope instanceof ReplayScope.Matching bulk) {
            return replayInChunks(bulk, actor);
        }
        return transaction.execute(tx -> {
            int replayed = notifications.replay(scope, actor);
            audit.record(actor, action(scope), describe(scope), replayed);
            return replayed;
        });
    }

    private int replayInChunks(ReplayScope.Matching scope, String actor) {
        long entry = transaction.execute(tx ->
                audit.record(actor, AuditAction.REPLAY_BULK, describe(scope), notifications.replayable(scope)));
        int replayed = notifications.replayInChunks(scope, actor);
        transaction.executeWithoutResult(tx -> audit.correctCount(entry, replayed));
        return replayed;
    }

    /** Counts what a replay of the scope would touch, and records that it was asked. */
    @Transactional
    public long dryRun(ReplayScope scope, String actor) {
        long count = notifications.replayable(scope);
        audit.record(actor, AuditAction.REPLAY_DRY_RUN, describe(scope), count);
        return count;
    }

    @Transactional
    public DeliveryPause pause(String actor) {
        DeliveryPause state = notifications.pause(actor, "paused by " + actor);
        audit.record(actor, AuditAction.PAUSE, "delivery", 1);
        return state;
    }

    @Transactional
    public DeliveryPause resume(String actor) {
        DeliveryPause state = notifications.resume(actor);
        audit.record(actor, AuditAction.RESUME, "delivery", 1);
        return state;
    }

    private static AuditAction action(ReplayScope scope) {
        if (scope instanceof ReplayScope.Event) {
            return AuditAction.REPLAY;
        }
        return scope instanceof ReplayScope.Order ? AuditAction.REPLAY_ORDER : AuditAction.REPLAY_BULK;
    }

    private static String describe(ReplayScope scope) {
        if (scope instanceof ReplayScope.Event e) {
            return "event " + e.eventId();
        }
        if (scope instanceof ReplayScope.Order o) {
            return "order " + o.orderId();
        }
        ReplayScope.Matching m = (ReplayScope.Matching) scope;
        return "status=" + m.status() + " from=" + m.from() + " to=" + m.to();
    }
}
