package com.advwell.security.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * An API key as stored: its public id and the SHA-256 digest of the whole key. The key itself is shown once at
 * creation and never stored.
 */
@Entity
@Table(name = "api_keys")
@NamedQuery(
        name = ApiKey.BY_CLIENT,
        query = "select k from ApiKey k where k.clientId = :clientId order by k.createdAt, k.id")
public class ApiKey {

    public static final String BY_CLIENT = "ApiKey.byClient";

    @Id
    @Column(length = 32)
    private String id;

    @Column(name = "client_id", nullable = false, length = 64)
    private String clientId;

    @Column(nullable = false, length = 64)
    private String digest;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    @Column(name = "revoked_at")
    private OffsetDateTime revokedAt;

    protected ApiKey() {}

    public ApiKey(String id, String clientId, String digest) {
        this.id = id;
        this.clientId = clientId;
        this.digest = digest;
        this.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
    }

    public String getId() {
        return id;
    }

    public String getClientId() {
        return clientId;
    }

    public String getDigest() {
        return digest;
    }

    public Instant getCreatedAt() {
        return createdAt.toInstant();
    }

    public Instant getRevokedAt() {
        return revokedAt == null ? null : revokedAt.toInstant();
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    public void revoke() {
        if (revokedAt == null) {
            revokedAt = OffsetDateTime.now(ZoneOffset.UTC);
        }
    }
}
