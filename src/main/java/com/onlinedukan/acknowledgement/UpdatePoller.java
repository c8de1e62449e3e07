package com.onlinedukan.acknowledgement;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import com.onlinedukan.cluster.Leadership;
import com.onlinedukan.telegram.StaffBot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Reads presses with {@code getUpdates} long polling, on the relay leader only: Telegram allows
 * one poller per bot and answers a second with 409, which is waited out. The offset it asks from
 * is the durable one (every update before it is applied), so a restart or a new leader neither
 * loses a press nor applies one twice. An update that cannot be applied (PostgreSQL down) stops
 * the batch: it and the ones after it come again. Not started when a webhook receives the updates.
 */
@Component
class UpdatePoller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(UpdatePoller.class);
    private static final Duration STANDBY = Duration.ofSeconds(1);
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(2);

    private final StaffBot bot;
    private final Presses presses;
    private final AcknowledgementLedger ledger;
    private final Leadership leadership;
    private final Duration wait;
    private final boolean enabled;
    private volatile boolean running;
    private volatile Thread thread;
    private boolean conflictLogged;

    UpdatePoller(StaffBot bot, Presses presses, AcknowledgementLedger ledger, Leadership leadership,
            AcknowledgementProperties properties, WebhookProperties webhook) {
        this.bot = bot;
        this.presses = presses;
        this.ledger = ledger;
        this.leadership = leadership;
        this.wait = properties.updatesPollWait();
        this.enabled = bot.live() && !webhook.webhook();
    }

    @Override
    public void start() {
        running = true;
        if (!enabled) {
            return;
        }
        thread = new Thread(this::run, "telegram-updates");
        // A long poll in flight when the JVM exits dies with it: its updates were not applied and come again.
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                pause(leadership.isLeader() ? pollOnce() : STANDBY);
            }
            catch (RuntimeException e) {
                // Telegram's and PostgreSQL's failures come back as values or DataAccessExceptions; anything
                // else is a fault of ours, and its stack says where.
                log.warn("Reading Telegram updates failed: {}", e.toString(), e);
                pause(AFTER_FAILURE);
            }
        }
    }

    /** One long poll and what it brought; how long to wait before the next (zero: at once). */
    Duration pollOnce() {
        long offset = ledger.offset(bot.botId());
        StaffBot.Polled polled = bot.poll(offset, wait);
        if (polled instanceof StaffBot.Conflict conflict) {
            if (!conflictLogged) {
                log.warn("Telegram refuses this poller (409: another process polls this bot, or a webhook is set): {}",
                        conflict.error());
                conflictLogged = true;
            }
            return AFTER_FAILURE;
        }
        if (polled instanceof StaffBot.Failed failed) {
            log.warn("getUpdates failed: {}", failed.error());
            return AFTER_FAILURE;
        }
        conflictLogged = false;
        List<StaffBot.Update> updates = ((StaffBot.Updates) polled).updates().stream()
                .sorted(Comparator.comparingLong(StaffBot.Update::updateId)).toList();
        for (StaffBot.Update update : updates) {
            if (update.updateId() < offset) {
                continue;
            }
            presses.apply(update);
            ledger.applied(bot.botId(), update.updateId() + 1);
        }
        return Duration.ZERO;
    }

    private void pause(Duration duration) {
        if (duration.isZero() || !running) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void stop() {
        running = false;
        Thread current = thread;
        if (current != null) {
            current.interrupt();
        }
        thread = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return 20;
    }
}
