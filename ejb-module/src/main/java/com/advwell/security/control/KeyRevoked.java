package com.advwell.security.control;

/**
 * A CDI event fired when an API key is revoked; observed after the transaction commits, so that no replica forgets a
 * key whose revocation could still roll back (and then reads it back from PostgreSQL as valid).
 */
public record KeyRevoked(String keyId) {}
