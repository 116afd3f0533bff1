package com.advwell.webhooks.control;

import com.advwell.platform.config.InvalidSettingException;
import com.advwell.platform.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the {@code http} job type: {@code WEBHOOK_SIGNING_SECRET} (without it webhooks are off),
 * {@code WEBHOOK_SIGNING_SECRET_PREVIOUS} (while set, requests carry a second signature made with it, so receivers
 * that still have the old secret keep verifying during a rotation), {@code WEBHOOK_TIMEOUT_MS} and
 * {@code WEBHOOK_ALLOWED_DESTINATIONS}. Both secrets must be in {@code whsec_} form (see {@link SigningSecret}).
 */
public record WebhookSettings(
        Optional<SigningSecret> signingSecret,
        Optional<SigningSecret> previousSigningSecret,
        Duration timeout,
        List<Cidr> allowedDestinations) {

    public static final String SECRET = "WEBHOOK_SIGNING_SECRET";
    public static final String PREVIOUS_SECRET = "WEBHOOK_SIGNING_SECRET_PREVIOUS";
    public static final String ALLOWED = "WEBHOOK_ALLOWED_DESTINATIONS";

    public WebhookSettings {
        allowedDestinations = List.copyOf(allowedDestinations);
        if (previousSigningSecret.isPresent() && signingSecret.isEmpty()) {
            throw new InvalidSettingException(
                    PREVIOUS_SECRET,
                    "is set but " + SECRET + " is not; during a rotation " + SECRET + " holds the new secret and "
                            + PREVIOUS_SECRET + " the old one");
        }
        if (previousSigningSecret.isPresent() && previousSigningSecret.get().sameKeyAs(signingSecret.get())) {
            throw new InvalidSettingException(
                    PREVIOUS_SECRET,
                    "is the same key as " + SECRET + "; set " + SECRET + " to the new secret, or remove "
                            + PREVIOUS_SECRET);
        }
    }

    /** Settings without a previous secret (no rotation under way). */
    public WebhookSettings(Optional<SigningSecret> signingSecret, Duration timeout, List<Cidr> allowedDestinations) {
        this(signingSecret, Optional.empty(), timeout, allowedDestinations);
    }

    public static WebhookSettings from(Settings settings) {
        return new WebhookSettings(
                settings.secret(SECRET).map(v -> SigningSecret.parse(SECRET, v)),
                settings.secret(PREVIOUS_SECRET).map(v -> SigningSecret.parse(PREVIOUS_SECRET, v)),
                settings.millis("WEBHOOK_TIMEOUT_MS", 10_000, 100, 60_000),
                parseCidrs(ALLOWED, settings.string(ALLOWED, "")));
    }

    /** The keys every request is signed with: the current one first, then the previous one while it is set. */
    public List<SigningSecret> signingKeys() {
        List<SigningSecret> keys = new ArrayList<>(2);
        signingSecret.ifPresent(keys::add);
        previousSigningSecret.ifPresent(keys::add);
        return keys;
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
                throw new InvalidSettingException(
                        name, e.getMessage() + " (expected CIDRs such as 10.0.0.0/8,::1/128)");
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
        return "webhooks " + (enabled() ? "enabled" : "disabled (no " + SECRET + ")")
                + (previousSigningSecret.isPresent()
                        ? ", also signing with " + PREVIOUS_SECRET
                                + " (rotation: remove it once every receiver has the new secret)"
                        : "")
                + ", timeout "
                + timeout.toMillis() + " ms, allowed private destinations " + allowedDestinations;
    }
}
