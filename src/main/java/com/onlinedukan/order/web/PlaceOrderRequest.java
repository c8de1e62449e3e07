package com.onlinedukan.order.web;

import java.math.BigDecimal;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/orders}. Money is {@link BigDecimal} from the JSON text to the database. */
record PlaceOrderRequest(
        @NotNull @Valid Customer customer,
        @NotEmpty @Size(min = 1, max = 100) List<@NotNull @Valid Item> items,
        @Schema(example = "Call before delivery", maxLength = 5000)
        @Size(max = 5000) @Pattern(regexp = MULTI_LINE, message = MULTI_LINE_MESSAGE) String comment) {

    /*
     * Format characters (\p{Cf}) are refused with the controls: bidi overrides and isolates
     * (U+202A-U+202E, U+2066-U+2069), marks (U+200E/F) and zero-width characters render nothing
     * themselves but reorder or hide what follows, so "Aziz\u202E00.0001" would show the staff
     * another total. Refusing them (rather than isolating them in the message) keeps what the
     * staff read equal to what the customer sent. C1 controls (\p{Cc} beyond ASCII) go too.
     *
     * Unpaired surrogates (\p{Cs}: a JSON escape such as \ud800 with no partner) are not Unicode
     * text at all: UTF-8 cannot encode them, so the database driver would store '?' in their place
     * and the order would keep, and show the staff, something the customer never sent. A surrogate
     * pair (an emoji) is one code point of its own category and passes.
     */
    /** No control or format characters at all, and no unpaired surrogates. */
    static final String SINGLE_LINE = "[^\\p{Cc}\\p{Cf}\\p{Cs}]*";
    static final String SINGLE_LINE_MESSAGE = "must not contain control or invisible format characters (such as bidi controls), "
            + "nor unpaired surrogates";
    /** Tabs and line breaks, but no other control characters, no format characters, no unpaired surrogates. */
    static final String MULTI_LINE = "[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F\\p{Cf}\\p{Cs}]*";
    static final String MULTI_LINE_MESSAGE = "must not contain control characters other than tabs and line breaks, "
            + "nor invisible format characters (such as bidi controls), nor unpaired surrogates";

    @Schema(name = "NewOrderCustomer")
    record Customer(
            @Schema(example = "Aziz Karimov", maxLength = 200)
            @NotBlank @Size(max = 200) @Pattern(regexp = SINGLE_LINE, message = SINGLE_LINE_MESSAGE) String name,
            @Schema(example = "+998901234567")
            @NotBlank @Pattern(regexp = "\\+?[0-9 ()-]{5,32}", message = "must be a phone number") String phone) {
    }

    @Schema(name = "NewOrderItem")
    record Item(
            @Schema(example = "TEA-001", maxLength = 64)
            @NotBlank @Size(max = 64) @Pattern(regexp = SINGLE_LINE, message = SINGLE_LINE_MESSAGE) String sku,
            @Schema(example = "Green tea 100g", maxLength = 200)
            @NotBlank @Size(max = 200) @Pattern(regexp = SINGLE_LINE, message = SINGLE_LINE_MESSAGE) String name,
            @Schema(example = "2", minimum = "1", maximum = "1000")
            @NotNull @Min(1) @Max(1000) Integer quantity,
            @Schema(example = "12.50", minimum = "0.01")
            @NotNull @DecimalMin(value = "0.01") @Digits(integer = 10, fraction = 2) BigDecimal unitPrice) {
    }
}
