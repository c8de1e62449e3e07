package com.onlinedukan.notification;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import com.onlinedukan.telegram.Button;

/**
 * The "take order" button under an order's message: its {@code callback_data} is {@code ack:}
 * and the notification's event id in 22 base64url characters (26 bytes, within Telegram's 64).
 * What comes back from Telegram is untrusted: {@link #eventIdOf} accepts exactly that form.
 */
public final class OrderButton {

    static final String PREFIX = "ack:";
    private static final Pattern FORM = Pattern.compile("ack:[A-Za-z0-9_-]{22}");

    private OrderButton() {
    }

    /** The callback data that names this notification. */
    public static String callbackData(UUID eventId) {
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(eventId.getMostSignificantBits())
                .putLong(eventId.getLeastSignificantBits());
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /** The event id a press names, or empty for anything that is not exactly a take button's data. */
    public static Optional<UUID> eventIdOf(String data) {
        if (data == null || data.length() != PREFIX.length() + 22 || !FORM.matcher(data).matches()) {
            return Optional.empty();
        }
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getUrlDecoder().decode(data.substring(PREFIX.length())));
        return Optional.of(new UUID(bytes.getLong(), bytes.getLong()));
    }

    /** The label of one order's button: the order's short id in a digest, where several stand together. */
    public static String label(UUID orderId, boolean inDigest) {
        return inDigest ? "✅ Take " + orderId.toString().substring(0, 8) : "✅ Take order";
    }

    /** The buttons of a message carrying these notifications: one each, in the message's order. */
    static List<Button> forClaims(List<DeliveryLedger.Claim> claims) {
        List<Button> buttons = new ArrayList<>(claims.size());
        for (DeliveryLedger.Claim claim : claims) {
            buttons.add(new Button(label(claim.orderId(), claims.size() > 1), callbackData(claim.eventId())));
        }
        return buttons;
    }
}
