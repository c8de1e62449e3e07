package com.onlinedukan.notification.web;

import java.util.UUID;

import com.onlinedukan.notification.NotificationStatus;
import com.onlinedukan.notification.Notifications;
import com.onlinedukan.order.OrderAspect;

import org.springframework.stereotype.Component;

/** An order's staff notification, as customers see it: status, attempts and when it was delivered. */
@Component
class NotificationAspect implements OrderAspect {

    private final Notifications notifications;

    NotificationAspect(Notifications notifications) {
        this.notifications = notifications;
    }

    @Override
    public String name() {
        return "notification";
    }

    @Override
    public Class<NotificationStatus> type() {
        return NotificationStatus.class;
    }

    @Override
    public NotificationStatus ofNewOrder() {
        return NotificationStatus.NOT_YET_SEEN;
    }

    @Override
    public NotificationStatus of(UUID orderId) {
        return notifications.statusOf(orderId);
    }
}
