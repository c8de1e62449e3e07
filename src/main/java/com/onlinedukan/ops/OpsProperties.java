package com.onlinedukan.ops;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * {@code dukan.ops.*}: the SRE credential for {@code /api/ops/**}, {@code /ops} and the actuator
 * (but health and prometheus). Without a password those stay closed. {@link #toString()} hides it.
 *
 * @param username the SRE's user name
 * @param password the SRE's password; unset keeps the ops surface closed. Line breaks around it are
 *     not part of it: a secret mounted as a file ends in one, and the SRE typing the password would be
 *     refused (then throttled) for a character nobody can type. Spaces are kept: they may be meant.
 * @param auditRetention how long the audit of SRE actions is kept
 * @param failedLoginsPerMinute wrong credentials one client address may send for one user name
 *     within a minute; beyond them further wrong ones are answered 429 (a correct one never is)
 */
@Validated
@ConfigurationProperties("dukan.ops")
public record OpsProperties(@DefaultValue("ops") @NotBlank String username, String password,
        @DefaultValue("365d") @NotNull @DurationMin(millis = 1) Duration auditRetention,
        @DefaultValue("10") @Min(1) int failedLoginsPerMinute) {

    public OpsProperties {
        password = password == null ? null : password.replaceAll("^[\\r\\n]+|[\\r\\n]+$", "");
    }

    boolean open() {
        return StringUtils.hasText(password);
    }

    @Override
    public String toString() {
        return "OpsProperties[username=" + username + ", password=" + (open() ? "<secret>" : "<unset>")
                + ", auditRetention=" + auditRetention + ", failedLoginsPerMinute=" + failedLoginsPerMinute + "]";
    }
}
