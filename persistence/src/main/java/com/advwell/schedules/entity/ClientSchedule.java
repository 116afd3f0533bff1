package com.advwell.schedules.entity;

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

/**
 * A schedule an API client created: a cron expression in a time zone, and the queue and payload of what runs on each
 * slot. {@code nextFireAt} is also advanced by the leader's firing (plain JDBC, without touching {@code version}, so
 * the firing never makes a client's update fail).
 */
@Entity
@Table(name = "schedules")
@NamedQuery(
        name = ClientSchedule.BY_TENANT,
        query = "select s from ClientSchedule s where s.tenantId = :tenantId order by s.createdAt, s.id")
public class ClientSchedule {

    public static final String BY_TENANT = "ClientSchedule.byTenant";

    @Id
    @Column(length = 64)
    private String id;

    @Column(name = "tenant_id", nullable = false, length = 64)
    private String tenantId;

    @Column(nullable = false, length = 200)
    private String name;

    @Column(nullable = false, length = 200)
    private String cron;

    /** {@code UNIX} or {@code QUARTZ}. */
    @Column(name = "cron_dialect", nullable = false, length = 8)
    private String cronDialect;

    @Column(name = "time_zone", nullable = false, length = 64)
    private String timeZone;

    @Column(nullable = false, length = 100)
    private String queue;

    /** A JSON object, as text. */
    @Column(nullable = false)
    private String payload;

    @Column(nullable = false)
    private boolean paused;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    private OffsetDateTime updatedAt;

    @Column(name = "next_fire_at")
    private OffsetDateTime nextFireAt;

    @Version
    private long version;

    protected ClientSchedule() {}

    public ClientSchedule(String tenantId) {
        this.id = UUID.randomUUID().toString();
        this.tenantId = tenantId;
        this.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        this.updatedAt = createdAt;
    }

    /** Replaces everything a client may set; the caller has validated the values. */
    public void define(String name, String cron, String cronDialect, String timeZone, String queue, String payload) {
        this.name = name;
        this.cron = cron;
        this.cronDialect = cronDialect;
        this.timeZone = timeZone;
        this.queue = queue;
        this.payload = payload;
        touch();
    }

    public void pause() {
        this.paused = true;
        touch();
    }

    public void resume() {
        this.paused = false;
        touch();
    }

    public void nextFireAt(Instant next) {
        this.nextFireAt = next == null ? null : OffsetDateTime.ofInstant(next, ZoneOffset.UTC);
    }

    private void touch() {
        this.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
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

    public String getCron() {
        return cron;
    }

    public String getCronDialect() {
        return cronDialect;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public String getQueue() {
        return queue;
    }

    public String getPayload() {
        return payload;
    }

    public boolean isPaused() {
        return paused;
    }

    public Instant getCreatedAt() {
        return createdAt.toInstant();
    }

    public Instant getUpdatedAt() {
        return updatedAt.toInstant();
    }

    public Instant getNextFireAt() {
        return nextFireAt == null ? null : nextFireAt.toInstant();
    }

    public long getVersion() {
        return version;
    }
}
