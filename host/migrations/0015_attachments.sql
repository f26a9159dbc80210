-- Files bound to records (docs/records.md, "Attachments"). The bytes live in the deployment's
-- file store, <database>.files/, named by their SHA-256 in two levels of folders
-- (ab/cd/abcd...); the same content is one file however many records hold it. core_files has
-- one row per file on disk; core_attachments one per file a record's field holds.
CREATE TABLE core_files (
    sha256      TEXT    PRIMARY KEY,           -- lower-case hex, also the file's name
    size        INTEGER NOT NULL,
    created_at  TEXT    NOT NULL
);

CREATE TABLE core_attachments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    plugin          TEXT    NOT NULL,
    card            TEXT    NOT NULL,          -- the card's id in its plugin
    record_id       INTEGER NOT NULL,
    field           TEXT    NOT NULL,
    unit_id         INTEGER,                   -- the record's own unit: per-unit quotas, and the audit log files it there
    sha256          TEXT    NOT NULL REFERENCES core_files(sha256),
    name            TEXT    NOT NULL,          -- the name the uploader gave
    size            INTEGER NOT NULL,
    mime            TEXT    NOT NULL,          -- from the bytes, never from the name
    kind            TEXT    NOT NULL,          -- image, video, audio, document
    uploaded_by     INTEGER,
    uploaded_by_name TEXT   NOT NULL,
    uploaded_at     TEXT    NOT NULL,          -- UTC, ISO 8601 with milliseconds
    deleted_at      TEXT                       -- the record was deleted then; its files go after the deployment's keep-deleted-days
);
CREATE INDEX core_attachments_record ON core_attachments(plugin, card, record_id, field, id);
CREATE INDEX core_attachments_file ON core_attachments(sha256);
CREATE INDEX core_attachments_unit ON core_attachments(unit_id) WHERE deleted_at IS NULL;
CREATE INDEX core_attachments_deleted ON core_attachments(deleted_at) WHERE deleted_at IS NOT NULL;
