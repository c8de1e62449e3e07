package com.onlinedukan.cluster;

import java.util.UUID;

import org.springframework.stereotype.Component;

/**
 * This instance's one name in the cluster: the holder of the lease, its consumer in the stream's
 * group and the holder of delivery claims, and its row in the ops roster. Host, process id and a
 * random suffix, so a restarted process is a new member.
 */
@Component
public class InstanceIdentity {

    private final String name = host() + "/" + ProcessHandle.current().pid() + "/"
            + UUID.randomUUID().toString().substring(0, 8);

    public String name() {
        return name;
    }

    private static String host() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "host" : host;
    }
}
