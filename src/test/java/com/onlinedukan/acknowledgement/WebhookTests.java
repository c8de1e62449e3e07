package com.onlinedukan.acknowledgement;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;

import com.onlinedukan.notification.OrderButton;
import com.onlinedukan.support.DukanTest;
import com.onlinedukan.support.FakeBotApi;
import com.onlinedukan.support.Orders;
import com.onlinedukan.support.StaffConversation;
import com.onlinedukan.support.StaffConversation.Sent;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Property: with {@code TELEGRAM_WEBHOOK_URL} set, nobody polls; the webhook is registered with a
 * secret, and only a call carrying that secret changes anything; an update posted twice is applied once.
 */
@DukanTest
@TestPropertySource(properties = { "telegram.webhook-url=https://shop.example/api/telegram/updates" })
class WebhookTests {

    @Autowired
    FakeBotApi telegram;

    @Autowired
    JdbcClient jdbc;

    @LocalServerPort
    int port;

    @Test
    void onlyACallWithTheSecretIsAppliedAndOnlyOnce() {
        StaffConversation staff = telegram.staff();
        await().atMost(Duration.ofSeconds(30)).until(() -> !staff.calls("setWebhook").isEmpty());
        String secret = staff.calls("setWebhook").get(0).text("secret_token");
        assertThat(secret).isNotBlank().doesNotContain("TEST-token");
        assertThat(staff.calls("setWebhook").get(0).text("url")).isEqualTo("https://shop.example/api/telegram/updates");

        Orders orders = new Orders(port);
        String orderId = orders.placeMany("By webhook", 1).get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> !staff.sentMentioning(orderId).isEmpty());
        Sent message = staff.sentMentioning(orderId).get(0);
        String data = OrderButton.callbackData(jdbc.sql("SELECT event_id FROM notification WHERE order_id = CAST(? AS uuid)")
                .param(orderId).query(UUID.class).single());
        String forged = update(77, 1, "Forger", data, message);
        String real = update(78, 2, "Webhook user", data, message);

        assertThat(post(orders, forged, null)).isEqualTo(403);
        assertThat(post(orders, forged, "wrong-" + secret)).isEqualTo(403);
        assertThat(post(orders, "{not json", secret)).isEqualTo(200);
        assertThat(post(orders, real, secret)).isEqualTo(200);
        assertThat(post(orders, real, secret)).isEqualTo(200);

        assertThat(jdbc.sql("SELECT taken_by_name FROM order_acknowledgement WHERE order_id = CAST(? AS uuid) AND stage = 'TAKEN'")
                .param(orderId).query(String.class).list()).containsExactly("Webhook user");
        assertThat(staff.answersTo(78)).hasSize(1);
        assertThat(staff.answersTo(77)).isEmpty();
        assertThat(staff.polls()).isZero();
    }

    private int post(Orders orders, String body, String secret) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/telegram/updates"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (secret != null) {
            request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        return orders.send(request).status();
    }

    private static String update(long id, long userId, String name, String data, Sent message) {
        return "{\"update_id\":" + id + ",\"callback_query\":{\"id\":\"q" + id + "\",\"from\":{\"id\":" + userId
                + ",\"is_bot\":false,\"first_name\":\"" + name + "\"},\"message\":{\"message_id\":" + message.messageId()
                + ",\"date\":1700000000,\"chat\":{\"id\":" + message.chatId() + ",\"type\":\"supergroup\"}},"
                + "\"chat_instance\":\"1\",\"data\":\"" + data + "\"}}";
    }
}
