package com.advwell.schedules.boundary;

import com.advwell.platform.rest.StorableText;
import jakarta.json.JsonValue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A schedule as a client writes it (POST and PUT). {@code cron} and {@code timeZone} are checked by the control
 * layer (cron-utils, {@code ZoneId}); {@code timeZone} defaults to America/Sao_Paulo, {@code payload} (any JSON value
 * here, so that a non-object is a 400 naming {@code payload} rather than the body) to {}.
 */
public record ScheduleRequest(
        @NotBlank
        @Size(max = 200)
        @Pattern(regexp = StorableText.VISIBLE, message = StorableText.VISIBLE_MESSAGE)
        @Pattern(regexp = StorableText.NO_NUL, message = StorableText.NO_NUL_MESSAGE)
        String name,

        @NotBlank @Size(max = 200) @Pattern(regexp = StorableText.NO_NUL, message = StorableText.NO_NUL_MESSAGE)
        String cron,

        @Size(max = 64) @Pattern(regexp = StorableText.NO_NUL, message = StorableText.NO_NUL_MESSAGE)
        String timeZone,

        @NotBlank @Pattern(regexp = "[A-Za-z0-9_.-]{1,100}", message = "must be 1-100 letters, digits, '_', '.' or '-'")
        String queue,

        JsonValue payload) {}
