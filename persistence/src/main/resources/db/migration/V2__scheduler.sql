-- The ledger of leader-guarded scheduled work: one row per (task, slot), written before the task's body runs.
-- The primary key makes a second replica that reaches the same slot skip it; the epoch lets a claim from an older
-- leadership term be refused once a newer term has recorded anything for the task.
CREATE TABLE task_runs (
    task          VARCHAR(200) NOT NULL,
    scheduled_at  TIMESTAMPTZ  NOT NULL,
    epoch         BIGINT       NOT NULL,
    instance_id   VARCHAR(200) NOT NULL,
    trigger       VARCHAR(16)  NOT NULL CHECK (trigger IN ('TIMER', 'CATCH_UP', 'MISFIRE')),
    started_at    TIMESTAMPTZ  NOT NULL,
    finished_at   TIMESTAMPTZ,
    outcome       VARCHAR(16)  NOT NULL CHECK (outcome IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED')),
    error         TEXT,
    PRIMARY KEY (task, scheduled_at)
);
-- the stale-epoch check: is there a row of this task with a newer epoch?
CREATE INDEX task_runs_task_epoch ON task_runs (task, epoch);
-- retention prunes by age across all tasks
CREATE INDEX task_runs_scheduled_at ON task_runs (scheduled_at);
