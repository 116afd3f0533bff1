-- Receipts of jobs run by transactional consumers: written in the same transaction as the handler's own work, so a
-- job that comes back after a crash between that commit and its completion in Redis is not run twice.
-- (queue, job_id, created_ms) identifies one job even when a client reuses an id after the first job was removed.
CREATE TABLE job_receipts (
    queue       TEXT        NOT NULL,
    job_id      TEXT        NOT NULL,
    created_ms  BIGINT      NOT NULL,
    attempt     INTEGER     NOT NULL,
    replica     TEXT        NOT NULL,
    done_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (queue, job_id, created_ms)
);
CREATE INDEX job_receipts_done_at ON job_receipts (done_at);

-- Effects of the built-in "probe" job: an operator's end-to-end check of the queues (and the chaos tests' witness).
-- Deliberately no unique constraint: a job that ran twice would show up here as two rows.
CREATE TABLE probe_effects (
    id          BIGSERIAL   PRIMARY KEY,
    queue       TEXT        NOT NULL,
    job_id      TEXT        NOT NULL,
    created_ms  BIGINT      NOT NULL,
    started_ms  BIGINT      NOT NULL,
    attempt     INTEGER     NOT NULL,
    replica     TEXT        NOT NULL,
    tenant_id   TEXT,
    done_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX probe_effects_job ON probe_effects (job_id);
