package com.advwell.security.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** A caller of the API (a system of a tenant, or a person operating the cluster) holding one role. */
@Entity
@Table(name = "api_clients")
@NamedQuery(
        name = ApiClient.BY_TENANT,
        query = "select c from ApiClient c where c.tenantId = :tenantId order by c.createdAt, c.id")
public class ApiClient {

    public static final String BY_TENANT = "ApiClient.byTenant";

    @Id
    @Column(length = 64)
    private String id;

    @Column(name = "tenant_id", nullable = false, length = 64)
    private String tenantId;

    @Column(nullable = false, length = 200)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Role role;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    protected ApiClient() {}

    public ApiClient(String tenantId, String name, Role role) {
        this(UUID.randomUUID().toString(), tenantId, name, role);
    }

    public ApiClient(String id, String tenantId, String name, Role role) {
        this.id = id;
        this.tenantId = tenantId;
        this.name = name;
        this.role = role;
        this.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
    }

    public String getId() {
        return id;
    }

    public String getTenantId() {
        return tenantId;
    }

    public String getName() {
        return name;
    }

    public Role getRole() {
        return role;
    }

    public Instant getCreatedAt() {
        return createdAt.toInstant();
    }
}
