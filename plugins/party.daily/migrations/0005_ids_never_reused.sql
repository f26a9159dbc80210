-- tessera: rebuilds tables
-- Record ids are never used twice. Without AUTOINCREMENT SQLite gives a new row the highest
-- id + 1, so deleting the newest member (one entered by mistake) and creating another gave
-- the new one the deleted one's id, and the audit history of that id mixed two people.
-- AUTOINCREMENT can only be declared when a table is created: each table is built again
-- under a new name, its rows copied (ids kept), the old table dropped and the new one
-- renamed, and its indexes made again as 0001-0003 made them (these tables have no
-- triggers, and no table refers to them). Columns keep their order, so SELECT * is as before.

CREATE TABLE party_members_rebuilt (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id            INTEGER NOT NULL REFERENCES core_units(id),
    name               TEXT    NOT NULL,
    name_key           BLOB    NOT NULL,
    id_number          TEXT    NOT NULL UNIQUE,
    gender             TEXT    NOT NULL CHECK (gender IN ('1', '2')),
    birth_date         TEXT    NOT NULL,
    ethnicity          TEXT    NOT NULL DEFAULT '',
    native_place       TEXT    NOT NULL DEFAULT '',
    education          TEXT    NOT NULL DEFAULT '',
    degree             TEXT    NOT NULL DEFAULT '',
    category           TEXT    NOT NULL CHECK (category IN ('formal', 'probationary')),
    join_date          TEXT    NOT NULL,
    full_date          TEXT,
    status             TEXT    NOT NULL DEFAULT 'normal',
    status_date        TEXT,
    lost_contact       INTEGER NOT NULL DEFAULT 0 CHECK (lost_contact IN (0, 1)),
    lost_contact_date  TEXT,
    job                TEXT    NOT NULL DEFAULT '',
    phone              TEXT    NOT NULL DEFAULT '',
    mobile             TEXT    NOT NULL DEFAULT '',
    address            TEXT    NOT NULL DEFAULT '',
    awards             TEXT    NOT NULL DEFAULT '[]',
    work_history       TEXT    NOT NULL DEFAULT '[]',
    family             TEXT    NOT NULL DEFAULT '[]',
    notes              TEXT    NOT NULL DEFAULT '',
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1,
    left_date          TEXT,
    left_reason        TEXT    NOT NULL DEFAULT '',
    status_reason      TEXT    NOT NULL DEFAULT ''
);
INSERT INTO party_members_rebuilt (id, unit_id, name, name_key, id_number, gender, birth_date, ethnicity, native_place, education,
                                   degree, category, join_date, full_date, status, status_date, lost_contact, lost_contact_date,
                                   job, phone, mobile, address, awards, work_history, family, notes, created_at, updated_at,
                                   version, left_date, left_reason, status_reason)
SELECT id, unit_id, name, name_key, id_number, gender, birth_date, ethnicity, native_place, education,
       degree, category, join_date, full_date, status, status_date, lost_contact, lost_contact_date,
       job, phone, mobile, address, awards, work_history, family, notes, created_at, updated_at,
       version, left_date, left_reason, status_reason
FROM party_members;
DROP TABLE party_members;
ALTER TABLE party_members_rebuilt RENAME TO party_members;
CREATE INDEX party_members_unit_name ON party_members(unit_id, name_key, id);
CREATE INDEX party_members_name ON party_members(name_key, id);
CREATE INDEX party_members_counts ON party_members(unit_id, left_date, category, gender, ethnicity, education, birth_date);

CREATE TABLE party_applicants_rebuilt (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id            INTEGER NOT NULL REFERENCES core_units(id),
    name               TEXT    NOT NULL,
    name_key           BLOB    NOT NULL,
    id_number          TEXT    NOT NULL UNIQUE,
    birth_date         TEXT    NOT NULL,
    application_date   TEXT    NOT NULL,
    notes              TEXT    NOT NULL DEFAULT '',
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);
INSERT INTO party_applicants_rebuilt (id, unit_id, name, name_key, id_number, birth_date, application_date, notes, created_at,
                                      updated_at, version)
SELECT id, unit_id, name, name_key, id_number, birth_date, application_date, notes, created_at, updated_at, version
FROM party_applicants;
DROP TABLE party_applicants;
ALTER TABLE party_applicants_rebuilt RENAME TO party_applicants;
CREATE INDEX party_applicants_unit_name ON party_applicants(unit_id, name_key, id);
CREATE INDEX party_applicants_name ON party_applicants(name_key, id);

-- Ids deleted before this migration stay used too: the sequence starts above the highest id
-- the audit log has seen in each table, not only above the highest one left.
INSERT INTO sqlite_sequence (name, seq)
SELECT t.name, 0 FROM (SELECT 'party_members' AS name UNION ALL SELECT 'party_applicants') AS t
WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence s WHERE s.name = t.name);
UPDATE sqlite_sequence
SET seq = max(seq, (SELECT coalesce(max(a.record_id), 0) FROM core_audit a WHERE a.table_name = sqlite_sequence.name))
WHERE name IN ('party_members', 'party_applicants');
