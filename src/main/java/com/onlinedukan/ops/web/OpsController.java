package com.onlinedukan.ops.web;

import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.onlinedukan.acknowledgement.Acknowledgements;
import com.onlinedukan.notification.DeliveredMinute;
import com.onlinedukan.notification.DeliveryPause;
import com.onlinedukan.notification.DeliveryStatus;
import com.onlinedukan.notification.NotificationView;
import com.onlinedukan.notification.NotificationReads;
import com.onlinedukan.notification.PipelineCounts;
import com.onlinedukan.notification.PoisonEntry;
import com.onlinedukan.notification.ReplayScope;
import com.onlinedukan.ops.InstanceRoster;
import com.onlinedukan.ops.OpsAudit;
import com.onlinedukan.ops.Operations;
import com.onlinedukan.stream.GroupConsumer;
import com.onlinedukan.stream.OutboxStream;
import com.onlinedukan.relay.RelayMonitor;
import com.onlinedukan.relay.RelayReport;
import com.onlinedukan.stream.StreamDepth;
import com.onlinedukan.telegram.TelegramSender;
import com.onlinedukan.telegram.TelegramStatus;
import com.onlinedukan.web.ProblemTypes;
import com.onlinedukan.web.TimestampRange;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@Tag(name = "Operations", description = "For SREs, with the dukan.ops credential")
@SecurityScheme(name = OpsController.CREDENTIAL, type = SecuritySchemeType.HTTP, scheme = "basic",
        description = "The dukan.ops credential (dukan.ops.username, dukan.ops.password)")
@SecurityRequirement(name = OpsController.CREDENTIAL)
@RestController
@RequestMapping(path = "/api/ops", produces = MediaType.APPLICATION_JSON_VALUE)
class OpsController {

    /** Names the instance that answered, on every ops API response. */
    static final String ANSWERED_BY = "Dukan-Instance";

    /** The OpenAPI security scheme of every ops endpoint; the customer API declares none. */
    static final String CREDENTIAL = "opsBasic";

    private final NotificationReads notifications;
    private final Operations operations;
    private final RelayMonitor relay;
    private final OutboxStream stream;
    private final InstanceRoster roster;
    private final TelegramSender telegram;
    private final OpsAudit audit;
    private final Acknowledgements acknowledgements;

    OpsController(NotificationReads notifications, Operations operations, RelayMonitor relay, OutboxStream stream,
            InstanceRoster roster, TelegramSender telegram, OpsAudit audit, Acknowledgements acknowledgements) {
        this.acknowledgements = acknowledgements;
        this.notifications = notifications;
        this.operations = operations;
        this.relay = relay;
        this.stream = stream;
        this.roster = roster;
        this.telegram = telegram;
        this.audit = audit;
    }

    @ModelAttribute
    void answeredBy(HttpServletResponse response) {
        response.setHeader(ANSWERED_BY, roster.self());
    }

    /**
     * The pipeline as the cluster knows it: counts from PostgreSQL and Redis, the relay from its
     * leader's last report; {@code answeredBy} names the instance that answered.
     */
    record Pipeline(String answeredBy, Outbox outbox, RelayReport relay, StreamDepth stream,
            PipelineCounts.Ledger notifications, DeliveryPause delivery, TelegramStatus telegram) {

        record Outbox(long undelivered, double oldestUndeliveredAgeSeconds) {
        }
    }

    @Operation(summary = "The pipeline's state: outbox backlog, relay (its leader's last report), stream, "
            + "notifications, pause, Telegram client, and the instance that answered")
    @GetMapping("/pipeline")
    Pipeline pipeline() {
        PipelineCounts counts = notifications.pipeline();
        return new Pipeline(roster.self(),
                new Pipeline.Outbox(counts.backlog().undelivered(), counts.backlog().oldestAgeSeconds()),
                relay.cluster(), counts.stream(), counts.ledger(), notifications.pauseState(), telegram.status());
    }

    @Operation(summary = "Notifications, newest first, by order, status and creation time window [from, to)")
    @GetMapping("/notifications")
    List<NotificationView> notifications(@RequestParam(required = false) UUID orderId,
            @RequestParam(required = false) DeliveryStatus status,
            @RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @TimestampRange Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @TimestampRange Instant to) {
        return notifications.list(orderId, status, from, to, limit);
    }

    /** Orders nobody has taken yet (the longest waiting first) and the latest taken, with who took them. */
    record TakenOrWaiting(List<Acknowledgements.Waiting> waiting, List<Acknowledgements.Taken> taken) {
    }

    @Operation(summary = "Orders not yet taken by the staff in Telegram, with their age and escalation stage, "
            + "and the latest taken, with who took them and how long after the order")
    @GetMapping("/acknowledgements")
    TakenOrWaiting acknowledgements(@RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit) {
        Acknowledgements.Board board = acknowledgements.board(limit);
        return new TakenOrWaiting(board.waiting(), board.taken());
    }

    @Operation(summary = "Notifications delivered in each of the last minutes, with the commit → delivery delay "
            + "(median and 99th percentile), oldest first, from the ledger")
    @GetMapping("/delivery/timeline")
    List<DeliveredMinute> deliveryTimeline(@RequestParam(defaultValue = "60") @Min(1) @Max(1440) int minutes) {
        return notifications.deliveredPerMinute(minutes);
    }

    @Operation(summary = "Stream entries the notifier refused (poison), newest first")
    @GetMapping("/poison")
    List<PoisonEntry> poison(@RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit) {
        return notifications.poison(limit);
    }

    /** The group's members; none, and {@code error} says why, when Redis could not be read (down, or the key not a stream). */
    record Consumers(String stream, String group, List<GroupConsumer> consumers, String error) {
    }

    @Operation(summary = "The members of the notifier's consumer group: pending entries and idle time (XINFO CONSUMERS)")
    @GetMapping("/consumers")
    Consumers consumers() {
        String group = notifications.consumerGroup();
        try {
            return new Consumers(stream.key(), group, stream.consumers(group), null);
        }
        catch (RuntimeException e) {
            return new Consumers(stream.key(), group, List.of(), NestedExceptionUtils.getMostSpecificCause(e).getMessage());
        }
    }

    record Instances(String answeredBy, long heartbeatSeconds, List<InstanceRoster.Member> instances) {
    }

    @Operation(summary = "The service's instances by their heartbeats in PostgreSQL: alive, silent or stopped")
    @GetMapping("/instances")
    Instances instances() {
        return new Instances(roster.self(), InstanceRoster.HEARTBEAT_SECONDS, roster.members());
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
        int replayed = operations.replay(new ReplayScope.Event(eventId), who.getName());
        return ResponseEntity.accepted().body(Map.of("replayed", replayed));
    }

    @Operation(summary = "Deliver an order's notification again")
    @PostMapping("/orders/{orderId}/replay")
    ResponseEntity<Map<String, Integer>> replayOrder(@PathVariable UUID orderId, Principal who) {
        int replayed = operations.replay(new ReplayScope.Order(orderId), who.getName());
        if (replayed == 0) {
            throw notFound("notification of order " + orderId + " that can be replayed now");
        }
        return ResponseEntity.accepted().body(Map.of("replayed", replayed));
    }

    /**
     * Bulk replay filter; {@code dryRun} only counts. Replaying DELIVERED notifications sends them
     * to the staff a second time, so that needs a window ({@code from} and {@code to}): an
     * unbounded one would resend the shop's whole history.
     */
    record ReplayFilter(@NotNull DeliveryStatus status, @TimestampRange Instant from, @TimestampRange Instant to,
            Boolean dryRun) {

        /** What is wrong with the window, field by field; empty when nothing is. */
        List<Map<String, String>> windowErrors() {
            List<Map<String, String>> errors = new ArrayList<>();
            if (status == DeliveryStatus.DELIVERED) {
                if (from == null) {
                    errors.add(Map.of("field", "from", "message", "required to replay DELIVERED notifications"));
                }
                if (to == null) {
                    errors.add(Map.of("field", "to", "message", "required to replay DELIVERED notifications"));
                }
            }
            if (from != null && to != null && !from.isBefore(to)) {
                errors.add(Map.of("field", "from", "message", "must be before to"));
                errors.add(Map.of("field", "to", "message", "must be after from"));
            }
            return errors;
        }

        boolean onlyCount() {
            return Boolean.TRUE.equals(dryRun);
        }

        ReplayScope scope() {
            return new ReplayScope.Matching(status, from, to);
        }
    }

    @Operation(summary = "Replay every notification in a status within a creation time window; dryRun only counts")
    @PostMapping(path = "/notifications/replay", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> replayMatching(@Valid @RequestBody ReplayFilter filter, Principal who) {
        List<Map<String, String>> errors = filter.windowErrors();
        if (!errors.isEmpty()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "The replay's time window is missing or empty.");
            problem.setType(ProblemTypes.VALIDATION);
            problem.setTitle("Invalid request");
            problem.setProperty("errors", errors);
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
        }
        if (filter.onlyCount()) {
            long count = operations.dryRun(filter.scope(), who.getName());
            return ResponseEntity.ok(Map.of("dryRun", true, "wouldReplay", count));
        }
        int count = operations.replay(filter.scope(), who.getName());
        return ResponseEntity.accepted().body(Map.of("replayed", count));
    }

    @Operation(summary = "Pause delivery: new events are registered, nothing is sent")
    @PostMapping("/delivery/pause")
    DeliveryPause pause(Principal who) {
        return operations.pause(who.getName());
    }

    @Operation(summary = "Resume delivery (also after Telegram refused the bot or the chat): what waited is sent")
    @PostMapping("/delivery/resume")
    DeliveryPause resume(Principal who) {
        return operations.resume(who.getName());
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
