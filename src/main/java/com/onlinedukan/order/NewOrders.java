package com.onlinedukan.order;

/**
 * Inserting a new order, written out as the two statements it is. Spring Data JDBC's aggregate
 * save does the same, but its mapping took a third of a request's CPU, and placing orders is the
 * hot path; reading orders back stays Spring Data JDBC's ({@link Orders#findById}).
 */
interface NewOrders {

    /** Inserts a new order (version 0) and its lines, in the caller's transaction; returns it as stored. */
    Order insert(Order order);
}
