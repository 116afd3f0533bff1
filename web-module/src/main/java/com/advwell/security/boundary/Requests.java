package com.advwell.security.boundary;

import com.advwell.platform.rest.StorableText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the security API, validated before any work is done. */
final class Requests {

    private Requests() {}

    public record TenantRequest(
            @NotBlank
            @Size(max = 200)
            @Pattern(regexp = StorableText.VISIBLE, message = StorableText.VISIBLE_MESSAGE)
            @Pattern(regexp = StorableText.NO_NUL, message = StorableText.NO_NUL_MESSAGE)
            String name) {}

    public record ClientRequest(
            @NotBlank
            @Size(max = 200)
            @Pattern(regexp = StorableText.VISIBLE, message = StorableText.VISIBLE_MESSAGE)
            @Pattern(regexp = StorableText.NO_NUL, message = StorableText.NO_NUL_MESSAGE)
            String name,

            @NotBlank @Pattern(regexp = "admin|operator|client", message = "must be admin, operator or client")
            String role) {}

    /** Console sign-in: the API key travels in this body only, never in a URL. Checked by the control layer. */
    public record SessionRequest(String apiKey) {}
}
