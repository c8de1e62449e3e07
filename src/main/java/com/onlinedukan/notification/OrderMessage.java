package com.onlinedukan.notification;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The staff's message about a new order, in Telegram HTML. Every string that came from a
 * customer is escaped, and the message never exceeds Telegram's 4096 characters: the item list
 * is cut first ("… and N more"), then the comment.
 */
final class OrderMessage {

    static final int LIMIT = 4096;

    private OrderMessage() {
    }

    /** The part of the {@code OrderPlaced} event payload a notification needs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PlacedOrder(UUID orderId, String customerName, String customerPhone, List<Line> items, BigDecimal total,
            String comment) {

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Line(String sku, String name, int quantity, BigDecimal unitPrice) {
        }

        /**
         * This order, if it has everything a message shows; otherwise the reason it cannot be
         * rendered, so one bad payload fails alone and not inside a batch.
         */
        PlacedOrder complete() {
            require(orderId, "orderId");
            require(total, "total");
            require(customerName, "customerName");
            for (Line line : items == null ? List.<Line>of() : items) {
                require(line, "items[]");
                require(line.unitPrice(), "items[].unitPrice");
            }
            return this;
        }

        private static void require(Object value, String field) {
            if (value == null) {
                throw new IllegalArgumentException("'" + field + "' is missing");
            }
        }
    }

    static String render(PlacedOrder order) {
        String head = "🛒 <b>New order</b> <code>" + order.orderId() + "</code>\n"
                + "Customer: " + escape(order.customerName())
                + (order.customerPhone() == null ? "" : ", " + escape(order.customerPhone())) + "\n";
        String totalLine = "Total: <b>" + order.total().toPlainString() + "</b>";
        List<String> items = new ArrayList<>();
        for (PlacedOrder.Line line : order.items() == null ? List.<PlacedOrder.Line>of() : order.items()) {
            items.add("• " + line.quantity() + " × " + escape(line.name()) + " (" + escape(line.sku()) + ") — "
                    + line.unitPrice().multiply(BigDecimal.valueOf(line.quantity())).toPlainString() + "\n");
        }
        String commentPrefix = "\nComment: <i>";
        String commentSuffix = "</i>";
        String comment = order.comment() == null || order.comment().isBlank() ? null : order.comment().strip();

        int fixed = head.length() + "Items:\n".length() + totalLine.length();
        int shown = items.size();
        String more = "";
        while (shown > 0 && fixed + length(items, shown) + more.length() > LIMIT - minimumComment(comment)) {
            shown--;
            more = "… and " + (items.size() - shown) + " more\n";
        }
        StringBuilder text = new StringBuilder(head).append("Items:\n");
        items.subList(0, shown).forEach(text::append);
        text.append(more).append(totalLine);
        if (comment != null) {
            int budget = LIMIT - text.length() - commentPrefix.length() - commentSuffix.length();
            if (budget > 1) {
                text.append(commentPrefix).append(escapeWithin(comment, budget)).append(commentSuffix);
            }
        }
        return text.toString();
    }

    private static int minimumComment(String comment) {
        return comment == null ? 0 : Math.min(escape(comment).length(), 200) + 20;
    }

    private static int length(List<String> items, int count) {
        return items.subList(0, count).stream().mapToInt(String::length).sum();
    }

    /** The escaped text, cut so that it fits {@code budget} characters, never inside an entity or a surrogate pair. */
    static String escapeWithin(String raw, int budget) {
        String all = escape(raw);
        if (all.length() <= budget) {
            return all;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < raw.length()) {
            int cp = raw.codePointAt(i);
            String piece = escape(new String(Character.toChars(cp)));
            if (out.length() + piece.length() + 1 > budget) {
                break;
            }
            out.append(piece);
            i += Character.charCount(cp);
        }
        return out.append('…').toString();
    }

    /** Telegram's HTML mode needs only these three escaped. */
    static String escape(String raw) {
        if (raw == null) {
            return "";
        }
        return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
