package com.onlinedukan.ops;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;

/**
 * {@code dukan.ops.*}: the SRE credential for {@code /api/ops/**}, {@code /ops} and the actuator
 * (but health and prometheus). Without a password those stay closed. {@link #toString()} hides it.
 */
@ConfigurationProperties("dukan.ops")
public record OpsProperties(@DefaultValue("ops") String username, String password) {

    boolean open() {
        return StringUtils.hasText(password);
    }

    @Override
    public String toString() {
        return "OpsProperties[username=" + username + ", password=" + (open() ? "<secret>" : "<unset>") + "]";
    }
}
