package com.advwell.security.control;

import java.time.Instant;

/**
 * A signed-in console session: the caller it stands for (resolved from the API key at sign-in), its CSRF token and
 * when it ends if idle and at the latest. {@code id} is the cookie's value, known only on the request that presented
 * or created it.
 */
public record ConsoleSession(
        String id, Caller caller, String csrfToken, Instant created, Instant idleExpiresAt, Instant expiresAt) {}
