package com.onlinedukan.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.onlinedukan.cluster.Leadership;
import com.onlinedukan.outbox.EventTrace;
import com.onlinedukan.stream.RelayedEvent;
import com.onlinedukan.stream.StreamPublisher;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisPipelineException;
import org.springframework.stereotype.Component;

/**
 * Runs the Debezium engine on the instance that holds the {@link Leadership} lease: outbox inserts in,
 * Redis Stream entries out.
 * A record is marked processed only after Redis answered its XADD, so the durable offset never
 * passes an event Redis does not have; while Redis is unreachable the batch is retried and the
 * offset stands still.
 * Before each start the slot's position is checked against the stored offset
 * ({@link ReplicationSlots#recoverLostPosition()}): a lost position is healed (a fresh slot, streaming from
 * it) and announced as {@link SlotRecreated}, so the events in between are taken from the outbox at once.
 * A failure that does not heal, {@value #CRASH_LOOP_AFTER} starts in a row without a batch streamed,
 * is a crash loop: reported, so that it pages someone.
 */
@Component
class OutboxRelay implements SmartLifecycle, DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration MAX_PUBLISH_BACKOFF = Duration.ofSeconds(5);
    private static final Duration FENCE_INTERVAL = Duration.ofMillis(100);
    /** Failed starts in a row, with no batch streamed in between, that make a crash loop. */
    static final int CRASH_LOOP_AFTER = 5;

    private final JdbcConnectionDetails datasource;
    private final RelayProperties properties;
    private final StreamPublisher publisher;
    private final Leadership leadership;
    private final RelayNames names;
    private final ReplicationSlots slots;
    private final Clock clock;
    private final Tracer tracer;
    private final ApplicationEventPublisher events;
    private final Counter slotRecoveries;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicReference<RelayState> state = new AtomicReference<>(RelayState.STOPPED);
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final AtomicLong lagMillis = new AtomicLong();
    private final AtomicLong passedOver = new AtomicLong();

    private volatile boolean stopping;
    private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private volatile Instant failedAt;
    private ExecutorService engineThread;
    private ScheduledExecutorService supervisor;
    /** Announces a recovered slot off the supervisor, so that a slow listener never delays the engine's supervision. */
    private ExecutorService announcer;

    OutboxRelay(JdbcConnectionDetails datasource, RelayProperties properties, StreamPublisher publisher,
            Leadership leadership, RelayNames names, ReplicationSlots slots, Clock clock, MeterRegistry meters,
            ObjectProvider<Tracer> tracer, ApplicationEventPublisher events) {
        this.datasource = datasource;
        this.names = names;
        this.slots = slots;
        this.properties = properties;
        this.publisher = publisher;
        this.leadership = leadership;
        // Started or stopped leading: act now, not at the supervisor's next look.
        leadership.onChange(this::superviseSoon);
        this.clock = clock;
        this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
        this.events = events;
        this.slotRecoveries = Counter.builder("dukan.relay.slot.recoveries")
                .description("Times the relay found its slot without the stored offset's position and streamed from a "
                        + "fresh one, the events in between taken from the outbox")
                .register(meters);
        Gauge.builder("dukan.relay.lag", lagMillis, millis -> millis.get() / 1000.0)
                .baseUnit("seconds")
                .description("Commit-to-publish delay of the last batch the relay published")
                .register(meters);
    }

    RelayState state() {
        return state.get();
    }

    /** Records the engine brought that were not events (heartbeats, deletes), since this instance started. */
    long recordsPassedOver() {
        return passedOver.get();
    }

    double lagSeconds() {
        return lagMillis.get() / 1000.0;
    }

    Optional<String> lastError() {
        return Optional.ofNullable(lastError.get());
    }

    /** Failed starts of the engine in a row, with no batch streamed since the first of them. */
    int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    /** The engine fails again and again and does not heal: somebody must look. */
    boolean crashLooping() {
        return consecutiveFailures.get() >= CRASH_LOOP_AFTER;
    }

    @Override
    public synchronized void start() {
        stopping = false;
        failedAt = null;
        // Two threads: the fence must act on time even while supervise() waits on the database.
        supervisor = Executors.newScheduledThreadPool(2, r -> new Thread(r, "outbox-relay-supervisor"));
        if (!properties.enabled()) {
            // The stream is written by someone else (Debezium Server); the instance still takes its
            // turns at the lease (cluster), whose holder runs the reconciler and the purges.
            state.set(RelayState.DISABLED);
            log.info("Outbox relay disabled on this instance (dukan.relay.enabled=false): another relay, such as "
                    + "Debezium Server, publishes to stream '{}'", publisher.key());
            return;
        }
        state.set(RelayState.STANDBY);
        engineThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "outbox-relay"));
        announcer = Executors.newSingleThreadExecutor(r -> new Thread(r, "outbox-relay-announcer"));
        supervisor.scheduleWithFixedDelay(this::supervise, 0, leadership.checkInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        supervisor.scheduleWithFixedDelay(this::fence, FENCE_INTERVAL.toMillis(), FENCE_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void superviseSoon() {
        ScheduledExecutorService running = supervisor;
        if (running != null && !stopping && properties.enabled()) {
            try {
                running.execute(this::supervise);
            }
            catch (RejectedExecutionException e) {
                // stopping
            }
        }
    }

    /**
     * Runs the engine exactly while this instance holds the relay lease, once the slot is free,
     * and restarts it a while after it failed.
     */
    private void supervise() {
        if (stopping) {
            return;
        }
        try {
            synchronized (this) {
                if (stopping) {
                    return;
                }
                if (!leadership.isLeader()) {
                    standBy("lost the relay lease");
                    return;
                }
                if (engine != null && failedAt == null && slots.invalidated()) {
                    // The engine would wait half an hour for the slot; a new one is made at the restart
                    // (recoverLostPosition), and the events in between are taken from the outbox.
                    failed("replication slot '" + names.slot() + "' was invalidated under the running engine "
                            + "(PostgreSQL removed WAL it still needed: max_slot_wal_keep_size)", null);
                    return;
                }
                boolean failedLongEnough = failedAt != null
                        && Duration.between(failedAt, clock.instant()).compareTo(properties.restartPause()) >= 0;
                if ((engine == null && failedAt == null) || failedLongEnough) {
                    closeEngine();
                    if (slots.freeForLeader()) {
                        launchOnItsPosition();
                    }
                    else {
                        state.set(RelayState.STARTING);
                    }
                }
            }
        }
        catch (RuntimeException e) {
            log.error("Outbox relay supervisor failed", e);
        }
    }

    /**
     * Self-fencing: the moment the lease may no longer be ours (by this JVM's clock, a little
     * before the database lets anyone else take it), the engine stops, renewal or no renewal.
     */
    private synchronized void fence() {
        if (!stopping && engine != null && !leadership.isLeader()) {
            standBy("could not renew the relay lease in time");
        }
    }

    /**
     * Starts the engine where the slot can stream from. A check that fails (the slot cannot be
     * read or made) is a failed start like the engine's own, and counts towards a crash loop.
     */
    private void launchOnItsPosition() {
        Optional<SlotRecreated> lost;
        try {
            lost = slots.recoverLostPosition();
        }
        catch (RuntimeException e) {
            failed("could not check the replication slot's position: "
                    + NestedExceptionUtils.getMostSpecificCause(e).getMessage(), e);
            return;
        }
        try {
            slots.preparePublication();
        }
        catch (RuntimeException e) {
            failed("could not prepare the publication: " + NestedExceptionUtils.getMostSpecificCause(e).getMessage(), e);
            return;
        }
        launch(lost.isPresent());
        lost.ifPresent(this::announce);
    }

    private void standBy(String why) {
        if (engine != null) {
            log.warn("Outbox relay {}; stopping the engine", why);
            closeEngine();
        }
        consecutiveFailures.set(0);
        state.set(RelayState.STANDBY);
    }

    /** Counted at once; the listeners (the notifier's reconciliation) run on the announcer thread. */
    private void announce(SlotRecreated recovery) {
        slotRecoveries.increment();
        announcer.execute(() -> {
            try {
                events.publishEvent(recovery);
            }
            catch (RuntimeException e) {
                log.error("A listener failed on the recovery of slot '{}'", recovery.slot(), e);
            }
        });
    }

    private void launch(boolean trustSlot) {
        failedAt = null;
        state.set(RelayState.STARTING);
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(ConnectorConfig.of(datasource, properties, names.slot(), names.publication(),
                        slots.failoverSupported(), trustSlot))
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        state.set(RelayState.RUNNING);
                        lastError.set(null);
                        log.info("Outbox relay streaming from slot '{}' to stream '{}'",
                                names.slot(), publisher.key());
                    }
                })
                .using(this::completed)
                .notifying(this)
                .build();
        engineThread.execute(engine);
    }

    private void completed(boolean success, String message, Throwable error) {
        if (stopping || engine == null) {
            return;
        }
        failed(message, error);
    }

    private void failed(String message, Throwable error) {
        state.set(RelayState.FAILED);
        lastError.set(message);
        failedAt = clock.instant();
        int failures = consecutiveFailures.incrementAndGet();
        if (failures >= CRASH_LOOP_AFTER) {
            log.error("Outbox relay stopped for the {}th time in a row without streaming a batch (crash loop): {}; "
                    + "restarting in {}", failures, message, properties.restartPause(), error);
        }
        else {
            log.error("Outbox relay stopped: {}; restarting in {}", message, properties.restartPause(), error);
        }
    }

    private void closeEngine() {
        DebeziumEngine<?> running = engine;
        engine = null;
        if (running != null) {
            try {
                running.close();
            }
            catch (Exception e) {
                log.warn("Outbox relay engine did not close cleanly", e);
            }
        }
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        List<RelayedEvent> events = new ArrayList<>(records.size());
        for (RecordChangeEvent<SourceRecord> record : records) {
            outboxInsert(record.record()).ifPresent(events::add);
        }
        if (events.size() < records.size()) {
            passedOver.addAndGet(records.size() - events.size());
        }
        List<Span> spans = startPublishSpans(events);
        try {
            publishUntilRedisAnswers(events);
        }
        finally {
            spans.forEach(span -> {
                if (span != null) {
                    span.end();
                }
            });
        }
        logPublished(events, spans);
        for (RecordChangeEvent<SourceRecord> record : records) {
            committer.markProcessed(record);
        }
        committer.markBatchFinished();
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
        if (!events.isEmpty()) {
            Instant newest = events.get(events.size() - 1).committedAt();
            lagMillis.set(Math.max(0, Duration.between(newest, clock.instant()).toMillis()));
        }
    }

    /**
     * The relay's hop in each event's trace: a producer span, child of the span that wrote the event,
     * from the batch's arrival to Redis' answer. Null for an event written outside a trace.
     */
    private List<Span> startPublishSpans(List<RelayedEvent> events) {
        List<Span> spans = new ArrayList<>(events.size());
        for (RelayedEvent event : events) {
            spans.add(event.trace() == null ? null : tracer.spanBuilder()
                    .setParent(event.trace().context(tracer))
                    .name("outbox publish")
                    .kind(Span.Kind.PRODUCER)
                    .tag("messaging.system", "redis")
                    .tag("messaging.destination.name", publisher.key())
                    .tag("dukan.event.id", event.eventId().toString())
                    .start());
        }
        return spans;
    }

    /** One debug line per event, with its id and trace in the log's context. */
    private void logPublished(List<RelayedEvent> events, List<Span> spans) {
        if (!log.isDebugEnabled()) {
            return;
        }
        for (int i = 0; i < events.size(); i++) {
            RelayedEvent event = events.get(i);
            try (MDC.MDCCloseable id = MDC.putCloseable("eventId", event.eventId().toString());
                    Tracer.SpanInScope scope = spans.get(i) == null ? null : tracer.withSpan(spans.get(i))) {
                log.debug("Published event {} ({} {}) to stream '{}'", event.eventId(), event.aggregateType(),
                        event.aggregateId(), publisher.key());
            }
        }
    }

    /**
     * Publishes the batch, however long Redis takes to take it: the offset must not pass an event
     * Redis does not have. While it refuses, the relay says why ({@link #lastError()}: health
     * WARNING, the ops pipeline's {@code relay.lastError}) in Redis' own words (a pipelined XADD
     * fails as "invalid commands"; the reason, e.g. WRONGTYPE, is in its results), until a batch goes.
     */
    private void publishUntilRedisAnswers(List<RelayedEvent> events) throws InterruptedException {
        Duration backoff = Duration.ofMillis(100);
        Instant failingSince = null;
        while (true) {
            try {
                publisher.publish(events);
                if (failingSince != null) {
                    lastError.set(null);
                    log.info("Redis took the {} events it had refused since {}", events.size(), failingSince);
                }
                return;
            }
            catch (DataAccessException e) {
                if (stopping) {
                    throw new InterruptedException("stopping with " + events.size() + " events unpublished");
                }
                failingSince = failingSince == null ? clock.instant() : failingSince;
                String reason = redisReason(e);
                lastError.set("Redis has not taken " + events.size() + " events since " + failingSince + ": " + reason);
                log.warn("Redis did not take {} events ({}); retrying in {} ms", events.size(), reason,
                        backoff.toMillis());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_PUBLISH_BACKOFF) > 0 ? MAX_PUBLISH_BACKOFF
                        : backoff.multipliedBy(2);
            }
        }
    }

    /** Redis' own words for a refusal: a pipeline's failure carries each command's error in its results. */
    static String redisReason(DataAccessException e) {
        if (e instanceof RedisPipelineException pipeline) {
            for (Object result : pipeline.getPipelineResult()) {
                if (result instanceof Throwable refused) {
                    return NestedExceptionUtils.getMostSpecificCause(refused).getMessage();
                }
            }
        }
        return NestedExceptionUtils.getMostSpecificCause(e).getMessage();
    }

    /** Only inserts into the outbox (and its initial snapshot) are events; heartbeats and deletes are not. */
    static Optional<RelayedEvent> outboxInsert(SourceRecord record) {
        if (!ConnectorConfig.OUTBOX_TOPIC.equals(record.topic()) || !(record.value() instanceof Struct value)) {
            return Optional.empty();
        }
        String op = value.getString("op");
        if (!"c".equals(op) && !"r".equals(op)) {
            return Optional.empty();
        }
        Struct row = value.getStruct("after");
        Struct source = value.getStruct("source");
        return Optional.of(new RelayedEvent(
                UUID.fromString(row.getString("id")),
                row.getString("type"),
                row.getString("aggregatetype"),
                row.getString("aggregateid"),
                row.getString("payload"),
                Instant.ofEpochMilli(source.getInt64("ts_ms")),
                // Absent from changes captured before the column was added.
                row.schema().field(EventTrace.COLUMN) == null ? null
                        : EventTrace.parse(row.getString(EventTrace.COLUMN)).orElse(null)));
    }

    @Override
    public void stop() {
        stopping = true;
        if (supervisor != null) {
            supervisor.shutdownNow();
            awaitQuietly(supervisor);
        }
        synchronized (this) {
            // The lease stays: the cluster gives it back when it stops, after this.
            closeEngine();
        }
        if (engineThread != null) {
            engineThread.shutdown();
            awaitQuietly(engineThread);
        }
        if (announcer != null) {
            announcer.shutdown();
            awaitQuietly(announcer);
        }
        if (state.get() != RelayState.DISABLED) {
            state.set(RelayState.STOPPED);
        }
    }

    private static void awaitQuietly(ExecutorService executor) {
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return supervisor != null && !stopping;
    }

    /** Starts after the schema is migrated and before the web server; stops after it. */
    @Override
    public int getPhase() {
        return 0;
    }
}
