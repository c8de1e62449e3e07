package com.onlinedukan.order;

/** Where an order is in the shop's process. Placing is the only step this service performs yet. */
public enum OrderStatus {
    PLACED
}
