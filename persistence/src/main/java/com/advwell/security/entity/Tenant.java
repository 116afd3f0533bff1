package com.advwell.security.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** A customer organisation; every client-visible resource belongs to exactly one tenant. */
@Entity
@Table(name = "tenants")
@NamedQuery(name = Tenant.ALL, query = "select t from Tenant t order by t.createdAt, t.id")
public class Tenant {

    public static final String ALL = "Tenant.all";
    /** The tenant that owns the bootstrapped administrator. */
    public static final String SYSTEM_ID = "system";

    @Id
    @Column(length = 64)
    private String id;

    @Column(nullable = false, length = 200)
    private String name;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    @Version
    private long version;

    protected Tenant() {}

    public Tenant(String name) {
        this(UUID.randomUUID().toString(), name);
    }

    public Tenant(String id, String name) {
        this.id = id;
        this.name = name;
        this.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
    }

    public String getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public void rename(String newName) {
        this.name = newName;
    }

    public Instant getCreatedAt() {
        return createdAt.toInstant();
    }

    public long getVersion() {
        return version;
    }
}
