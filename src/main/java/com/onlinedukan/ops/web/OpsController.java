package com.onlinedukan.ops.web;

import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.onlinedukan.notification.DeliveryPause;
import com.onlinedukan.notification.DeliveryStatus;
import com.onlinedukan.notification.NotificationView;
import com.onlinedukan.notification.Notifications;
import com.onlinedukan.notification.PipelineCounts;
import com.onlinedukan.ops.OpsAudit;
import com.onlinedukan.relay.RelayMonitor;
import com.onlinedukan.relay.RelayStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@Tag(name = "Operations", description = "For SREs, with the dukan.ops credential")

@RestController
@RequestMapping(path = "/api/ops", produces = MediaType.APPLICATION_JSON_VALUE)
class OpsController {

    private final Notifications notifications;
    private final RelayMonitor relay;
    private final OpsAudit audit;

    OpsController(Notifications notifications, RelayMonitor relay, OpsAudit audit) {
        this.notifications = notifications;
        this.relay = relay;
        this.audit = audit;
    }

    record Pipeline(Outbox outbox, RelayStatus relay, Stream stream, Counts notifications, DeliveryPause delivery) {

        record Outbox(long undelivered, double oldestUndeliveredAgeSeconds) {
        }

        record Stream(long length, long pending) {
        }

        record Counts(long pending, long retrying, long delivered, long dead) {
        }
    }

    @Operation(summary = "The pipeline's state: outbox backlog, relay, stream, notifications, pause")
    @GetMapping("/pipeline")
    Pipeline pipeline() {
        PipelineCounts counts = notifications.pipeline();
        return new Pipeline(new Pipeline.Outbox(counts.undelivered(), counts.oldestUndeliveredAgeSeconds()),
                relay.status(), new Pipeline.Stream(counts.streamLength(), counts.streamPending()),
                new Pipeline.Counts(counts.pending(), counts.retrying(), counts.delivered(), counts.dead()),
                notifications.pauseState());
    }

    @Operation(summary = "Notifications, newest first, by status and creation time window [from, to)")
    @GetMapping("/notifications")
    List<NotificationView> notifications(@RequestParam(required = false) DeliveryStatus status,
            @RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to) {
        return notifications.list(status, from, to, limit);
    }

    @Operation(summary = "One notification with its attempt history")
    @GetMapping("/notifications/{eventId}")
    NotificationView notification(@PathVariable UUID eventId) {
        return notifications.find(eventId).orElseThrow(() -> notFound("notification " + eventId));
    }

    @Operation(summary = "Deliver one notification again from a fresh attempt count, even if it was delivered")
    @PostMapping("/notifications/{eventId}/replay")
    ResponseEntity<Map<String, Integer>> replay(@PathVariable UUID eventId, Principal who) {
        notifications.find(eventId).orElseThrow(() -> notFound("notification " + eventId));
        int replayed = notifications.replay(eventId, who.getName());
        audit.record(who.getName(), "REPLAY", "event " + eventId, replayed);
        return ResponseEntity.accepted().body(Map.of("replayed", replayed));
    }

    @Operation(summary = "Deliver an order's notification again")
    @PostMapping("/orders/{orderId}/replay")
    ResponseEntity<Map<String, Integer>> replayOrder(@PathVariable UUID orderId, Principal who) {
        int replayed = notifications.replayOrder(orderId, who.getName());
        if (replayed == 0) {
            throw notFound("notification of order " + orderId + " that can be replayed now");
        }
        audit.record(who.getName(), "REPLAY_ORDER", "order " + orderId, replayed);
        return ResponseEntity.accepted().body(Map.of("replayed", replayed));
    }

    /** Bulk replay filter; {@code dryRun} only counts. */
    record ReplayFilter(@NotNull DeliveryStatus status, Instant from, Instant to, Boolean dryRun) {

        boolean onlyCount() {
            return Boolean.TRUE.equals(dryRun);
        }
    }

    @Operation(summary = "Replay every notification in a status within a creation time window; dryRun only counts")
    @PostMapping(path = "/notifications/replay", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> replayMatching(@Valid @RequestBody ReplayFilter filter, Principal who) {
        int count = notifications.replayMatching(filter.status(), filter.from(), filter.to(), filter.onlyCount(),
                who.getName());
        String target = "status=" + filter.status() + " from=" + filter.from() + " to=" + filter.to();
        if (filter.onlyCount()) {
            audit.record(who.getName(), "REPLAY_DRY_RUN", target, count);
            return ResponseEntity.ok(Map.of("dryRun", true, "wouldReplay", count));
        }
        audit.record(who.getName(), "REPLAY_BULK", target, count);
        return ResponseEntity.accepted().body(Map.of("replayed", count));
    }

    @Operation(summary = "Pause delivery: new events are registered, nothing is sent")
    @PostMapping("/delivery/pause")
    DeliveryPause pause(Principal who) {
        DeliveryPause state = notifications.pause(who.getName());
        audit.record(who.getName(), "PAUSE", "delivery", 1);
        return state;
    }

    @Operation(summary = "Resume delivery: what waited is sent")
    @PostMapping("/delivery/resume")
    DeliveryPause resume(Principal who) {
        DeliveryPause state = notifications.resume(who.getName());
        audit.record(who.getName(), "RESUME", "delivery", 1);
        return state;
    }

    @Operation(summary = "Every replay, pause and resume, newest first")
    @GetMapping("/audit")
    List<OpsAudit.Entry> audit(@RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        return audit.recent(limit);
    }

    private static ResponseStatusException notFound(String what) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No " + what);
    }
}
