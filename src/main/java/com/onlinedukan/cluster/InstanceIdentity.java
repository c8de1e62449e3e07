package com.onlinedukan.cluster;

import java.lang.management.ManagementFactory;
import java.util.UUID;

import org.springframework.stereotype.Component;

/** This instance's name as a stream consumer and as the holder of delivery leases. */
@Component
class NotifierIdentity {

    private final String name = ManagementFactory.getRuntimeMXBean().getName() + "-"
            + UUID.randomUUID().toString().substring(0, 8);

    String name() {
        return name;
    }
}
