-- Long operations (imports, exports, backups): one row per job, written when it is queued
-- and when it ends. Live progress is kept in memory by the process running the job; a job
-- still queued or running when its process went away is marked interrupted at the next start.
CREATE TABLE core_jobs (
    id            TEXT    PRIMARY KEY,             -- random, unguessable
    plugin_id     TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    title         TEXT    NOT NULL,
    owner_id      INTEGER NOT NULL,
    owner_name    TEXT    NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
    done          INTEGER NOT NULL DEFAULT 0,
    total         INTEGER NOT NULL DEFAULT 0,
    stage         TEXT    NOT NULL DEFAULT '',
    result        TEXT,                            -- JSON summary of a job that succeeded
    error_code    TEXT,
    error         TEXT,
    output_name   TEXT,                            -- the downloadable file, if the job made one
    output_type   TEXT,
    output_bytes  INTEGER,
    created_at    TEXT    NOT NULL,
    started_at    TEXT,
    finished_at   TEXT
);
CREATE INDEX core_jobs_owner ON core_jobs(owner_id, created_at);
CREATE INDEX core_jobs_created ON core_jobs(created_at);
