-- Files users uploaded for imports (POST /api/v1/files). The bytes live in <database>.uploads/
-- under the row's id; an upload is its uploader's alone and goes after a day.
CREATE TABLE core_uploads (
    id            TEXT    PRIMARY KEY,             -- random, unguessable; also the file's name on disk
    owner_id      INTEGER NOT NULL,
    name          TEXT    NOT NULL,                -- the file name the uploader gave
    size          INTEGER NOT NULL,
    content_type  TEXT    NOT NULL,
    created_at    TEXT    NOT NULL
);
CREATE INDEX core_uploads_owner ON core_uploads(owner_id, created_at);
CREATE INDEX core_uploads_created ON core_uploads(created_at);
