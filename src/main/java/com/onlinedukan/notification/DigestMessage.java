package com.onlinedukan.notification;

import java.util.List;

import com.onlinedukan.notification.OrderMessage.PlacedOrder;

/**
 * One message for several new orders, sent when the chat's budget is spent and orders queue up:
 * a line per order with its id, customer and total, as many as fit in Telegram's limit.
 */
final class DigestMessage {

    private static final int NAME_LIMIT = 40;

    private DigestMessage() {
    }

    /** The text, and how many of {@code orders} (from the front) it covers. */
    record Digest(String text, int covered) {
    }

    static Digest render(List<PlacedOrder> orders) {
        StringBuilder lines = new StringBuilder();
        int covered = 0;
        for (PlacedOrder order : orders) {
            String line = "• <code>" + order.orderId() + "</code> — "
                    + OrderMessage.escapeWithin(order.customerName() == null ? "" : order.customerName(), NAME_LIMIT)
                    + " — <b>" + order.total().toPlainString() + "</b>\n";
            if (header(covered + 1).length() + lines.length() + line.length() > OrderMessage.LIMIT) {
                break;
            }
            lines.append(line);
            covered++;
        }
        return new Digest(header(covered) + lines, covered);
    }

    private static String header(int count) {
        return "🛒 <b>" + count + " new orders</b>\n";
    }
}
