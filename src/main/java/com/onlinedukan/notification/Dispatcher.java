package com.onlinedukan.notification;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.onlinedukan.cluster.InstanceIdentity;
import com.onlinedukan.notification.DeliveryLedger.Claim;
import com.onlinedukan.telegram.SendOutcome;
import com.onlinedukan.telegram.TelegramSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The one place on an instance that sends: while Telegram could take a message, it claims what
 * the ledger says is due (first attempts, retries, notifications whose sender died) and hands
 * them to {@link Delivery}. Woken at once when the stream brings something new, otherwise every
 * {@code retry-poll-interval}. While Telegram refuses the bot or the chat, it asks Telegram every
 * {@code refusal-probe-interval} whether that is fixed, and resumes when it is.
 *
 * <p>{@code dukan.notification.senders} threads do this side by side, each with a claim of its own
 * (the ledger's claims are leased per claim, exactly as between instances), so the round trips of
 * one send overlap those of the others; the shared budgets decide what Telegram gets. Only the first
 * sender probes a refusing Telegram.
 *
 * <p>Something new wakes one idle sender, not all of them: each sender's claim costs PostgreSQL a
 * look past every row leased to the others, and under load a wake-up every few milliseconds had
 * each of four senders claim, most of them a row or none. A sender whose claim came back full
 * wakes the next, so a backlog is still sent by all of them side by side.
 *
 * <p>While a sender is idle and nothing holds delivery back, the {@link Inbox} claims what it
 * registers in its registering statement and hands the claims over ({@link #handOver}): an idle
 * sender would otherwise claim those very rows next, with a statement of its own. A handed-over
 * claim is an ordinary claim: sent under its token, bounded by its start-by, and given back when
 * delivery is paused or Telegram cannot take it yet, or when the dispatcher stops.
 */
@Component
class Dispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final DeliveryLedger ledger;
    private final Delivery delivery;
    private final TelegramSender telegram;
    private final DeliveryControl control;
    private final InstanceIdentity identity;
    private final NotificationProperties properties;
    private final List<Semaphore> wakeUps;
    /** Senders waiting for a wake-up, the one that went idle last first. */
    private final ConcurrentLinkedDeque<Integer> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger nextBusy = new AtomicInteger();
    /** Claims made at registration ({@link #handOver}), each at most one send's worth, waiting for a sender. */
    private final ConcurrentLinkedQueue<List<Claim>> handedOver = new ConcurrentLinkedQueue<>();
    /**
     * Whether rows may be due that no claim took: delivery was paused, Telegram could not take a
     * message, or a claim came back full. No hand-over then, so the next claim takes the oldest
     * first and as many as one message holds; cleared by a claim that took everything then due.
     */
    private volatile boolean behind = true;
    private volatile List<Thread> threads = List.of();
    private volatile boolean running;
    private Instant lastProbe = Instant.EPOCH;

    Dispatcher(DeliveryLedger ledger, Delivery delivery, TelegramSender telegram, DeliveryControl control,
            InstanceIdentity identity, NotificationProperties properties) {
        this.ledger = ledger;
        this.delivery = delivery;
        this.telegram = telegram;
        this.control = control;
        this.identity = identity;
        this.properties = properties;
        this.wakeUps = IntStream.range(0, properties.senders()).mapToObj(i -> new Semaphore(0)).toList();
    }

    /**
     * Something new is due: one sender looks now rather than at its next poll. An idle one if there
     * is one; else a busy one, which looks again as soon as its send is done (a sender claims again
     * at once only after a full claim or when claims were given back; otherwise it waits for a
     * wake-up or its poll).
     */
    void wakeUp() {
        Integer sender = idle.poll();
        wakeUps.get(sender != null ? sender : Math.floorMod(nextBusy.getAndIncrement(), wakeUps.size())).release();
    }

    /**
     * Whether claims made at registration would be sent at once: the dispatcher runs, a sender is
     * idle, the last claim took everything then due, and delivery is not paused (as last read). A
     * sender that finds delivery paused or Telegram not ready gives the claims back.
     */
    boolean takesHandOver() {
        return running && !behind && !idle.isEmpty() && !control.state().paused();
    }

    /** Claims the {@link Inbox} made at registration: sent by idle senders, one send's worth each. */
    void handOver(List<Claim> claims) {
        int size = delivery.batchSize();
        for (int from = 0; from < claims.size(); from += size) {
            handedOver.add(List.copyOf(claims.subList(from, Math.min(claims.size(), from + size))));
            wakeUp();
        }
        if (!running) {
            // Stopped meanwhile: no sender will take them.
            giveBackHandedOver();
        }
    }

    /** Gives back every claim handed over and not sent yet, so any sender may claim those rows at once. */
    private void giveBackHandedOver() {
        List<Claim> claims;
        while ((claims = handedOver.poll()) != null) {
            ledger.release(claims);
        }
    }

    @Override
    public void start() {
        running = true;
        List<Thread> started = new ArrayList<>(wakeUps.size());
        for (int i = 0; i < wakeUps.size(); i++) {
            int sender = i;
            Thread thread = new Thread(() -> run(sender), "notification-dispatcher-" + i);
            // A send still in flight when the JVM exits dies with it; its lease hands it to another instance.
            thread.setDaemon(true);
            thread.start();
            started.add(thread);
        }
        threads = List.copyOf(started);
    }

    private void run(int sender) {
        Semaphore wakeUp = wakeUps.get(sender);
        while (running) {
            try {
                Duration wait = dispatchDue(sender == 0);
                idle.push(sender);
                try {
                    wakeUp.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
                }
                finally {
                    idle.remove(sender);
                }
                wakeUp.drainPermits();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (RuntimeException e) {
                log.warn("Dispatching notifications failed: {}", e.getMessage());
                sleepQuietly(properties.retryPollInterval());
            }
        }
    }

    /** Sends while Telegram could take it and something is due; returns how long to wait before looking again. */
    private Duration dispatchDue(boolean probes) {
        Duration poll = properties.retryPollInterval();
        while (running) {
            DeliveryPause pause = control.state();
            if (pause.paused()) {
                behind = true;
                giveBackHandedOver();
                if (pause.byTelegram() && probes) {
                    probeWhenDue(pause);
                }
                return poll;
            }
            Duration ready = telegram.readyIn();
            if (!ready.isZero()) {
                behind = true;
                giveBackHandedOver();
                return shorter(ready, poll);
            }
            List<Claim> due = handedOver.poll();
            if (due == null) {
                due = ledger.claimDue(identity.name(), properties.lease(), delivery.batchSize());
                behind = due.size() == delivery.batchSize();
            }
            if (due.isEmpty()) {
                return poll;
            }
            boolean full = due.size() == delivery.batchSize();
            if (full) {
                // A full claim: there may be more; another sender claims it while this one sends.
                wakeUp();
            }
            long releases = ledger.releases();
            Duration wait = delivery.deliver(due);
            if (!wait.isZero()) {
                return shorter(wait, poll);
            }
            if (!full && ledger.releases() == releases && handedOver.isEmpty()) {
                // A claim that was not full took everything then due, and nothing was given back
                // (as what a digest could not hold is): what became due since was announced by a
                // wake-up, which this busy sender or an idle one holds. Under load, claiming again
                // here found nothing or a few rows, one statement each, twice per registered batch.
                return poll;
            }
        }
        return poll;
    }

    /** Asks Telegram again once the probe interval has passed since the refusal or the last probe. */
    private void probeWhenDue(DeliveryPause pause) {
        Instant now = Instant.now();
        Instant last = pause.pausedAt() != null && pause.pausedAt().isAfter(lastProbe) ? pause.pausedAt() : lastProbe;
        if (Duration.between(last, now).compareTo(properties.refusalProbeInterval()) < 0) {
            return;
        }
        lastProbe = now;
        SendOutcome probe = telegram.probe();
        if (probe instanceof SendOutcome.Delivered) {
            if (control.resumeAfterProbe("getChat answered ok after: " + pause.reason())) {
                log.info("Telegram accepts the bot and the staff chat again; resuming delivery");
            }
            else {
                log.info("Telegram accepts the bot and the staff chat again, but delivery is paused by someone else now");
            }
        }
        else {
            log.warn("Telegram still refuses the bot or the staff chat: {}", probe);
        }
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Lets a send in flight finish: it is bounded by the client's timeout, which the stop grace
     * exceeds, so an answer Telegram gave is always recorded. Never interrupts a send.
     */
    @Override
    public void stop() {
        running = false;
        List<Thread> current = threads;
        wakeUps.forEach(Semaphore::release);
        long deadline = System.nanoTime() + properties.stopGrace().toNanos();
        try {
            for (Thread thread : current) {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
            if (current.stream().anyMatch(Thread::isAlive)) {
                // Stuck outside a send, e.g. waiting for a database connection. What it holds
                // stays claimed until the lease runs out; then any instance retries it.
                log.warn("Dispatcher did not stop within {}; leaving it to the JVM's exit", properties.stopGrace());
            }
            else {
                // Claims handed over but never taken: given back, so they are not left to the lease.
                try {
                    giveBackHandedOver();
                }
                catch (RuntimeException e) {
                    log.warn("Could not give back claims handed over at registration ({}); their lease frees them",
                            e.getMessage());
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads = List.of();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return 10;
    }
}
