package com.onlinedukan.notification;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import com.onlinedukan.notification.OrderMessage.PlacedOrder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OrderMessageTests {

    static final UUID ID = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");

    @Test
    void carriesTheOrderIdCustomerAndTotal() {
        String text = OrderMessage.render(order("Aziz Karimov", "Call before delivery", 1));

        assertThat(text).contains(ID.toString()).contains("Aziz Karimov").contains("Total: <b>25.00</b>")
                .contains("Call before delivery");
    }

    @Test
    void customerTextIsEscapedForTelegramHtml() {
        String text = OrderMessage.render(order("<b>Evil</b> & Co", "<a href=\"x\">click</a>", 1));

        assertThat(text).contains("&lt;b&gt;Evil&lt;/b&gt; &amp; Co").contains("&lt;a href=\"x\"&gt;click&lt;/a&gt;")
                .doesNotContain("<b>Evil").doesNotContain("<a ");
    }

    @Test
    void longCommentIsCutToTelegramsLimit() {
        String text = OrderMessage.render(order("<b>&", "&".repeat(5000), 3));

        assertThat(text.length()).isLessThanOrEqualTo(4096);
        assertThat(text).contains(ID.toString()).contains("&lt;b&gt;&amp;").contains("Total: <b>75.00</b>")
                .endsWith("…</i>");
        assertThat(text).doesNotContainPattern("&(?!amp;|lt;|gt;)");
    }

    @Test
    void manyItemsAreCutWithACountOfTheRest() {
        String text = OrderMessage.render(order("Bulk buyer", null, 100, "x".repeat(150)));

        assertThat(text.length()).isLessThanOrEqualTo(4096);
        assertThat(text).containsPattern("… and \\d+ more").contains("Total: <b>2500.00</b>").contains(ID.toString());
    }

    static PlacedOrder order(String name, String comment, int items) {
        return order(name, comment, items, "Green tea");
    }

    static PlacedOrder order(String name, String comment, int items, String itemName) {
        List<PlacedOrder.Line> lines = IntStream.range(0, items)
                .mapToObj(i -> new PlacedOrder.Line("SKU-" + i, itemName, 2, new BigDecimal("12.50")))
                .toList();
        return new PlacedOrder(ID, name, "+998901234567", lines,
                new BigDecimal("25.00").multiply(BigDecimal.valueOf(items)), comment);
    }
}
