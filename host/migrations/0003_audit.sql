-- The audit log: one row per row change written through the store (captured by SQLite's
-- preupdate hook inside the writing transaction, see store/sqlite_store.cpp) and one per
-- explicit event (login, login.failed, lockout, logout, token.created ...; store/audit_log.hpp).
--   at         UTC, ISO 8601 with milliseconds: 2024-05-01T08:30:00.123Z
--   user_id    0 for the system (migrations, the CLI without a user), username then 'system'
--   action     'insert', 'update', 'delete', 'bulk' (a summary of many rows) or an event name
--   before     JSON object: all columns of a deleted row, the changed columns of an updated one
--   after      JSON object: all columns of an inserted row, the changed columns of an updated one;
--              for 'bulk' the row counts per table: {"t": {"insert": 1000}}
-- Blobs appear as {"$base64": "..."}; redacted columns (password hashes) as "[redacted]".
CREATE TABLE core_audit (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    user_id     INTEGER NOT NULL DEFAULT 0,
    username    TEXT    NOT NULL DEFAULT 'system',
    plugin_id   TEXT,
    address     TEXT,
    action      TEXT    NOT NULL,
    table_name  TEXT,
    record_id   INTEGER,
    before      TEXT,
    after       TEXT,
    detail      TEXT
);
-- One index per filter of GET /api/v1/audit; with id last, "newest first" needs no sort.
CREATE INDEX core_audit_at ON core_audit(at);
CREATE INDEX core_audit_user ON core_audit(user_id, id);
CREATE INDEX core_audit_username ON core_audit(username, id);
CREATE INDEX core_audit_plugin ON core_audit(plugin_id, id);
CREATE INDEX core_audit_record ON core_audit(table_name, record_id, id);
CREATE INDEX core_audit_action ON core_audit(action, id);

-- Append-only: no plugin SQL can rewrite or erase the history.
CREATE TRIGGER core_audit_no_update BEFORE UPDATE ON core_audit
BEGIN
    SELECT RAISE(ABORT, 'core_audit is append-only');
END;
CREATE TRIGGER core_audit_no_delete BEFORE DELETE ON core_audit
BEGIN
    SELECT RAISE(ABORT, 'core_audit is append-only');
END;
