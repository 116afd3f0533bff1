-- Schedules that API clients create: a cron expression in a time zone and what to do on each slot. Owned by a tenant.
CREATE TABLE schedules (
    id            VARCHAR(64)  PRIMARY KEY,
    tenant_id     VARCHAR(64)  NOT NULL REFERENCES tenants (id),
    name          VARCHAR(200) NOT NULL,
    cron          VARCHAR(200) NOT NULL,
    cron_dialect  VARCHAR(8)   NOT NULL CHECK (cron_dialect IN ('UNIX', 'QUARTZ')),
    time_zone     VARCHAR(64)  NOT NULL,
    queue         VARCHAR(100) NOT NULL,
    payload       TEXT         NOT NULL,
    paused        BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ  NOT NULL,
    updated_at    TIMESTAMPTZ  NOT NULL,
    -- the next slot to run; NULL when the expression has no future execution
    next_fire_at  TIMESTAMPTZ,
    version       BIGINT       NOT NULL DEFAULT 0
);
-- a tenant's list, in creation order
CREATE INDEX schedules_tenant ON schedules (tenant_id, created_at, id);
-- what the leader's firing looks for every second
CREATE INDEX schedules_due ON schedules (next_fire_at) WHERE NOT paused;

-- The exactly-once-per-slot ledger of client schedules, the same claim pattern as task_runs: a row is inserted
-- (committed) before the action, the primary key lets only one firing take a slot, and the epoch refuses a claim from
-- a leadership term older than one already recorded for the schedule. "Run now" rows have epoch 0 (not fenced).
CREATE TABLE schedule_runs (
    schedule_id   VARCHAR(64)  NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    slot          TIMESTAMPTZ  NOT NULL,
    epoch         BIGINT       NOT NULL,
    instance_id   VARCHAR(200) NOT NULL,
    trigger       VARCHAR(16)  NOT NULL CHECK (trigger IN ('SCHEDULE', 'RUN_NOW', 'CATCH_UP')),
    outcome       VARCHAR(16)  NOT NULL CHECK (outcome IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
    started_at    TIMESTAMPTZ  NOT NULL,
    finished_at   TIMESTAMPTZ,
    error         TEXT,
    detail        TEXT,
    PRIMARY KEY (schedule_id, slot)
);
CREATE INDEX schedule_runs_epoch ON schedule_runs (schedule_id, epoch);
