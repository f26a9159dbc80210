-- Runs of the plugins' scheduled work (tessera::Declarations::schedule): one row per try of a
-- job in a period ("2026-12" monthly, "2026-12-05" daily). A period with an 'ok' row is done;
-- a 'failed' one is tried again an hour later; 'running' is one in progress, or one a crash
-- interrupted (tried again after the hour too).
CREATE TABLE core_scheduled_runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    plugin      TEXT    NOT NULL,
    job         TEXT    NOT NULL,
    period      TEXT    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('running', 'ok', 'failed')),
    started_at  TEXT    NOT NULL,
    finished_at TEXT,
    summary     TEXT    NOT NULL DEFAULT '',
    error       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX core_scheduled_runs_job ON core_scheduled_runs(plugin, job, period, state);
