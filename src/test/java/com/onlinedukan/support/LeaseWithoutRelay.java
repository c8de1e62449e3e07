package com.onlinedukan.support;

import com.onlinedukan.cluster.LeaseKey;
import com.onlinedukan.support.DukanTestContext.TestDatabase;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The cluster's lease key for a module test that starts no relay: in the service the relay
 * module supplies it (the slot's name); here it is the test database's, which names no slot
 * anybody creates.
 */
@TestConfiguration(proxyBeanMethods = false)
public class LeaseWithoutRelay {

    @Bean
    LeaseKey leaseKey(TestDatabase database) {
        return database::slotName;
    }
}
