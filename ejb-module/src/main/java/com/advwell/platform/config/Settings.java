package com.advwell.platform.config;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed access to named settings (environment variables such as {@code REDIS_SENTINELS}) with the error message an
 * operator needs when a value is malformed. Backed by MicroProfile Config in the container and by a plain map in
 * tests.
 */
public final class Settings {

    private final Function<String, Optional<String>> source;

    public Settings(Function<String, Optional<String>> source) {
        this.source = source;
    }

    /** Settings read through MicroProfile Config (environment variables, system properties, config files). */
    public static Settings fromMicroProfileConfig() {
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        return new Settings(name -> config.getOptionalValue(name, String.class));
    }

    public Optional<String> optional(String name) {
        return source.apply(name).map(String::strip).filter(v -> !v.isEmpty());
    }

    public String string(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    public int integer(String name, int fallback, int min, int max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw.get());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(name, "must be an integer, got '" + raw.get() + "'");
        }
        if (value < min || value > max) {
            throw new InvalidSettingException(name, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    public Duration millis(String name, long fallbackMillis, long min, long max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return Duration.ofMillis(fallbackMillis);
        }
        long value;
        try {
            value = Long.parseLong(raw.get());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(name, "must be a number of milliseconds, got '" + raw.get() + "'");
        }
        if (value < min || value > max) {
            throw new InvalidSettingException(name, "must be between " + min + " and " + max + " ms, got " + value);
        }
        return Duration.ofMillis(value);
    }

    public boolean bool(String name, boolean fallback) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        return switch (raw.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new InvalidSettingException(name, "must be true or false, got '" + raw.get() + "'");
        };
    }

    /** A secret given directly ({@code NAME}) or as a file path ({@code NAME_FILE}, the Docker secrets convention). */
    public Optional<String> secret(String name) {
        Optional<String> direct = optional(name);
        if (direct.isPresent()) {
            return direct;
        }
        return optional(name + "_FILE")
                .map(path -> {
                    try {
                        return java.nio.file.Files.readString(java.nio.file.Path.of(path))
                                .strip();
                    } catch (java.io.IOException e) {
                        throw new InvalidSettingException(
                                name + "_FILE", "cannot read " + path + ": " + e.getMessage());
                    }
                })
                .filter(v -> !v.isEmpty());
    }
}
