package com.advwell.security.control;

import java.time.Instant;

/** A newly created API key: the only time the key itself is available. */
public record IssuedKey(String keyId, String clientId, String key, Instant createdAt) {}
