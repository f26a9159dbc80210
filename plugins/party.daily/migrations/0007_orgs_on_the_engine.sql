-- tessera: rebuilds tables
-- The organisation card is served by the host's record engine as a card that is a unit
-- (docs/records.md, is-unit): its table has the engine's shape, with the unit's id as the
-- record's id and again in unit_id (the record's own unit, which scope checks and the audit
-- log read). The parent stays where it always was, in the unit tree. An empty code is ''
-- (the engine's unique index leaves out '' only), and the pinyin key of the full name, which
-- party.daily kept as name_key, is the engine's full_name_sort, computed the same way. The
-- engine makes the indexes when it starts.

CREATE TABLE party_orgs_engine (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id            INTEGER NOT NULL,
    full_name          TEXT    NOT NULL DEFAULT '',
    full_name_sort     BLOB,
    short_name         TEXT    NOT NULL DEFAULT '',
    code               TEXT    NOT NULL DEFAULT '',
    org_type           TEXT    NOT NULL DEFAULT '',
    unit_situation     TEXT    NOT NULL DEFAULT '',
    setup_date         TEXT,
    setup_document     TEXT    NOT NULL DEFAULT '',
    retirement_branch  INTEGER NOT NULL DEFAULT 0,
    secretary          TEXT    NOT NULL DEFAULT '',
    contact            TEXT    NOT NULL DEFAULT '',
    phone              TEXT    NOT NULL DEFAULT '',
    address            TEXT    NOT NULL DEFAULT '',
    status             TEXT    NOT NULL DEFAULT '',
    dissolved_date     TEXT,
    unit_info          TEXT    NOT NULL DEFAULT '',
    awards             TEXT    NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL
);

INSERT INTO party_orgs_engine (id, unit_id, full_name, full_name_sort, short_name, code, org_type, unit_situation, setup_date,
                               setup_document, retirement_branch, secretary, contact, phone, address, status, dissolved_date,
                               unit_info, awards, version, created_at, updated_at)
SELECT unit_id, unit_id, full_name, name_key, short_name, coalesce(code, ''), org_type, unit_situation, nullif(setup_date, ''),
       setup_document, retirement_branch, secretary, contact, phone, address, status, nullif(dissolved_date, ''),
       CASE unit_info WHEN '[]' THEN '' ELSE unit_info END, CASE awards WHEN '[]' THEN '' ELSE awards END,
       version, created_at, updated_at
FROM party_orgs;

DROP TABLE party_orgs;
ALTER TABLE party_orgs_engine RENAME TO party_orgs;
