package com.onlinedukan.acknowledgement;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import com.onlinedukan.acknowledgement.AcknowledgementLedger.Row;
import com.onlinedukan.notification.TakenOrders;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/** Who took which order, and which orders nobody has taken yet: for the order's and the SREs' views. */
@Service
public class Acknowledgements implements TakenOrders {

    private final AcknowledgementLedger ledger;
    private final Clock clock;

    Acknowledgements(AcknowledgementLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /** An order nobody has taken yet: how long since its message, and how far the escalation got. */
    public record Waiting(UUID eventId, UUID orderId, Stage stage, Instant deliveredAt, double ageSeconds) {
    }

    /** An order taken: by whom, when, and how long after its commit. */
    public record Taken(UUID eventId, UUID orderId, Instant takenAt, StaffMember takenBy, double secondsToTake) {
    }

    /** Orders not taken yet and the latest taken, as {@link #board(int)} reads them. */
    public record Board(List<Waiting> waiting, List<Taken> taken) {
    }

    /**
     * The orders not taken yet and the latest taken ({@code limit} of each), of one moment: an order
     * taken while the board is read is on one list, never on both or on neither.
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public Board board(int limit) {
        return new Board(waiting(limit), taken(limit));
    }

    /** Orders not taken yet, the longest waiting first. */
    public List<Waiting> waiting(int limit) {
        Instant now = clock.instant();
        return ledger.waitingOldestFirst(limit).stream()
                .map(r -> new Waiting(r.eventId(), r.orderId(), r.stage(), r.deliveredAt(),
                        Math.max(0, Duration.between(r.deliveredAt(), now).toMillis() / 1000.0)))
                .toList();
    }

    /** Orders taken, the latest first. */
    public List<Taken> taken(int limit) {
        return ledger.takenLatestFirst(limit).stream()
                .map(r -> new Taken(r.eventId(), r.orderId(), r.takenAt(), by(r),
                        Duration.between(r.committedAt(), r.takenAt()).toMillis() / 1000.0))
                .toList();
    }

    @Override
    public Map<UUID, TakenOrders.Taken> byEvent(Collection<UUID> eventIds) {
        return ledger.ofEvents(eventIds).stream().filter(r -> r.stage() == Stage.TAKEN)
                .collect(Collectors.toMap(Row::eventId, r -> new TakenOrders.Taken(r.takenAt(), by(r))));
    }

    @Override
    public Optional<Instant> takenAt(UUID orderId) {
        return ledger.ofOrder(orderId).filter(r -> r.stage() == Stage.TAKEN).map(Row::takenAt);
    }

    private static StaffMember by(Row row) {
        return new StaffMember(row.takenByName(), row.takenById() == null ? 0 : row.takenById());
    }
}
