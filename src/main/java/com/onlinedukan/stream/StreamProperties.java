package com.onlinedukan.stream;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The stream's part of {@code dukan.relay.*}, bound here and nowhere else: the names stay where the
 * README documents them, under the relay, so that a running deployment's configuration keeps working;
 * the relay learns the stream's key from {@link StreamPublisher#key()}.
 *
 * @param stream the Redis Stream key events are published to
 * @param streamMaxLength approximate cap on the stream's length (older entries are trimmed)
 * @param trimInterval how often an instance with a subscriber trims the stream to the oldest entry a
 *     consumer group has not acknowledged (and refreshes the stream's length and pending gauges)
 */
@Validated
@ConfigurationProperties("dukan.relay")
record StreamProperties(
        @DefaultValue("dukan:outbox") @NotBlank String stream,
        @DefaultValue("1000000") @Min(1000) long streamMaxLength,
        @DefaultValue("1s") @NotNull @DurationMin(millis = 1) Duration trimInterval) {
}
