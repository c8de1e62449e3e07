package com.onlinedukan.relay;

import com.onlinedukan.cluster.LeaseKey;

import org.springframework.stereotype.Component;

/** The cluster's lease is keyed by the relay's slot name, as before the lease moved to {@code cluster}. */
@Component
class RelayLeaseKey implements LeaseKey {

    private final RelayNames names;

    RelayLeaseKey(RelayNames names) {
        this.names = names;
    }

    @Override
    public String slot() {
        return names.slot();
    }
}
