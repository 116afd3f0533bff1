package com.advwell.webhooks.control;

import com.advwell.platform.config.InvalidSettingException;
import com.advwell.platform.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the {@code http} job type: {@code WEBHOOK_SIGNING_SECRET} (without it webhooks are off),
 * {@code WEBHOOK_TIMEOUT_MS} and {@code WEBHOOK_ALLOWED_DESTINATIONS}.
 */
public record WebhookSettings(Optional<String> signingSecret, Duration timeout, List<Cidr> allowedDestinations) {

    public static final String SECRET = "WEBHOOK_SIGNING_SECRET";
    public static final String ALLOWED = "WEBHOOK_ALLOWED_DESTINATIONS";

    public WebhookSettings {
        allowedDestinations = List.copyOf(allowedDestinations);
    }

    public static WebhookSettings from(Settings settings) {
        return new WebhookSettings(settings.secret(SECRET),
                settings.millis("WEBHOOK_TIMEOUT_MS", 10_000, 100, 60_000),
                parseCidrs(ALLOWED, settings.string(ALLOWED, "")));
    }

    static List<Cidr> parseCidrs(String name, String value) {
        List<Cidr> cidrs = new ArrayList<>();
        for (String entry : value.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                cidrs.add(Cidr.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(name,
                        e.getMessage() + " (expected CIDRs such as 10.0.0.0/8,::1/128)");
            }
        }
        return cidrs;
    }

    public boolean enabled() {
        return signingSecret.isPresent();
    }

    /** Never prints the secret: records would otherwise put it in every log line that shows the settings. */
    @Override
    public String toString() {
        return "webhooks " + (enabled() ? "enabled" : "disabled (no " + SECRET + ")") + ", timeout "
                + timeout.toMillis() + " ms, allowed private destinations " + allowedDestinations;
    }
}
