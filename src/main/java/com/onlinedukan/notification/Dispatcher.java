package com.onlinedukan.notification;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.onlinedukan.notification.DeliveryLedger.Claim;
import com.onlinedukan.telegram.TelegramSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The one place on an instance that sends: it waits for the chat's rate budget, claims what the
 * ledger says is due (first attempts, retries, notifications whose sender died), and hands them
 * to {@link Delivery} — several at once become a digest. Woken at once when the stream brings
 * something new, and otherwise every {@code retry-poll-interval}.
 */
@Component
class Dispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final int MAX_PER_MESSAGE = 50;
    /** Long enough for a send in flight to get its answer; then the thread is interrupted. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final DeliveryLedger ledger;
    private final Delivery delivery;
    private final TelegramSender sender;
    private final DeliveryControl control;
    private final NotifierIdentity identity;
    private final Duration lease;
    private final Duration pollInterval;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile Thread thread;
    private volatile boolean running;

    Dispatcher(DeliveryLedger ledger, Delivery delivery, TelegramSender sender, DeliveryControl control,
            NotifierIdentity identity, NotificationProperties properties) {
        this.ledger = ledger;
        this.delivery = delivery;
        this.sender = sender;
        this.control = control;
        this.identity = identity;
        this.lease = properties.lease();
        this.pollInterval = properties.retryPollInterval();
    }

    /** Something new is due: look now rather than at the next poll. */
    void wakeUp() {
        wakeUp.release();
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "notification-dispatcher");
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                Duration wait = dispatchDue();
                wakeUp.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (RuntimeException e) {
                log.warn("Dispatching notifications failed: {}", e.getMessage());
                sleepQuietly(pollInterval);
            }
        }
    }

    /** Sends while there is budget and something due; returns how long to wait before looking again. */
    Duration dispatchDue() {
        while (running) {
            if (control.state().paused()) {
                return pollInterval;
            }
            Duration budget = sender.readyIn();
            if (!budget.isZero()) {
                return budget.compareTo(pollInterval) < 0 ? budget : pollInterval;
            }
            List<Claim> due = ledger.claimDue(identity.name(), lease, MAX_PER_MESSAGE);
            if (due.isEmpty()) {
                return pollInterval;
            }
            delivery.deliver(due);
        }
        return pollInterval;
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        running = false;
        Thread current = thread;
        if (current != null) {
            wakeUp.release();
            try {
                current.join(STOP_GRACE.toMillis());
                if (current.isAlive()) {
                    // Stuck, e.g. waiting for a database connection that will not come. What it
                    // held stays claimed until its lease runs out, then any instance retries it.
                    log.warn("Dispatcher did not stop within {}s; interrupting it", STOP_GRACE.toSeconds());
                    current.interrupt();
                    current.join(STOP_GRACE.toMillis());
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
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
