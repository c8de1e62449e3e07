package com.onlinedukan.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.onlinedukan.order.OrderPlaced;
import com.onlinedukan.outbox.Outbox;
import com.onlinedukan.stream.RelayedEvent;
import com.onlinedukan.stream.StreamPublisher;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Orders' events for the module tests below the relay ({@link DownstreamModuleTest}), made the way
 * the service makes them: each is appended to the outbox in a transaction of its own (the order
 * module's write, without the order's rows, which the notifier never reads) and then published to
 * the stream as the relay publishes a captured insert. What the notifier sends comes from the outbox
 * row; the entry only points at it. A bean of every such test's context: {@code @Autowired OrderEvents}.
 */
public final class OrderEvents {

    /** An event in the outbox, published or not yet. */
    private record Appended(UUID eventId, String orderId, String payload) {
    }

    private final Outbox outbox;
    private final StreamPublisher stream;
    private final TransactionTemplate transaction;
    private final JsonMapper json;

    OrderEvents(Outbox outbox, StreamPublisher stream, PlatformTransactionManager transactions, JsonMapper json) {
        this.outbox = outbox;
        this.stream = stream;
        this.transaction = new TransactionTemplate(transactions);
        this.json = json;
    }

    /** {@code count} orders of {@code customer}, each in the outbox and on the stream; their order ids. */
    public List<String> placeMany(String customer, int count) {
        List<Appended> appended = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            appended.add(append(customer));
        }
        publish(appended);
        return appended.stream().map(Appended::orderId).toList();
    }

    /** In the outbox only: an event the relay has not brought to the stream (yet). */
    private Appended append(String customer) {
        String orderId = UUID.randomUUID().toString();
        String payload = payload(orderId, customer);
        UUID eventId = transaction.execute(tx -> outbox.append(OrderPlaced.AGGREGATE_TYPE, orderId, OrderPlaced.TYPE,
                json.readTree(payload)));
        return new Appended(eventId, orderId, payload);
    }

    /** On the stream, one entry each, in one round trip, as the relay publishes a batch. */
    private void publish(List<Appended> events) {
        stream.publish(events.stream().map(e -> new RelayedEvent(e.eventId(), OrderPlaced.TYPE,
                OrderPlaced.AGGREGATE_TYPE, e.orderId(), e.payload(), Instant.now(), null)).toList());
    }

    /** An OrderPlaced payload as the order module writes it, with one line; NUL escaped as JSON allows. */
    public static String payload(String orderId, String customer) {
        return "{\"orderId\":\"" + orderId + "\",\"customerName\":\"" + customer.replace("\u0000", "\\u0000")
                + "\",\"customerPhone\":\"+1\","
                + "\"items\":[{\"sku\":\"X\",\"name\":\"X\",\"quantity\":1,\"unitPrice\":1}],\"total\":1}";
    }
}
