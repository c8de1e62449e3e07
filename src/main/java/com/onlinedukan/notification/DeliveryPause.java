package com.onlinedukan.notification;

import java.time.Instant;

/** Whether delivery is paused, and who last switched it, when (the resumer, after a resume). */
public record DeliveryPause(boolean paused, String pausedBy, Instant pausedAt) {
}
