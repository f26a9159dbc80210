-- party.daily: party-organisation cards (one per organisation unit), members and applicants.
-- Dates are ISO text (YYYY-MM-DD); codes are the manifest's dictionary codes; sub-forms are
-- JSON arrays. name_key is the host's pinyin sort key of the name (Context::sortKey).

CREATE TABLE party_orgs (
    unit_id            INTEGER PRIMARY KEY REFERENCES core_units(id),
    full_name          TEXT    NOT NULL,
    short_name         TEXT    NOT NULL DEFAULT '',
    code               TEXT,                                -- unique when given
    org_type           TEXT    NOT NULL,
    unit_situation     TEXT    NOT NULL DEFAULT '',
    setup_date         TEXT,
    setup_document     TEXT    NOT NULL DEFAULT '',
    retirement_branch  INTEGER NOT NULL DEFAULT 0 CHECK (retirement_branch IN (0, 1)),
    secretary          TEXT    NOT NULL DEFAULT '',
    contact            TEXT    NOT NULL DEFAULT '',
    phone              TEXT    NOT NULL DEFAULT '',
    address            TEXT    NOT NULL DEFAULT '',
    status             TEXT    NOT NULL DEFAULT 'normal' CHECK (status IN ('normal', 'dissolved')),
    dissolved_date     TEXT,
    unit_info          TEXT    NOT NULL DEFAULT '[]',
    awards             TEXT    NOT NULL DEFAULT '[]',
    name_key           BLOB    NOT NULL,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX party_orgs_code ON party_orgs(code) WHERE code IS NOT NULL;
CREATE INDEX party_orgs_name ON party_orgs(name_key, unit_id);

CREATE TABLE party_members (
    id                 INTEGER PRIMARY KEY,
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
    version            INTEGER NOT NULL DEFAULT 1
);
-- Lists: a unit's members in pinyin order; the whole tree in pinyin order; counts by unit.
CREATE INDEX party_members_unit_name ON party_members(unit_id, name_key, id);
CREATE INDEX party_members_name ON party_members(name_key, id);

CREATE TABLE party_applicants (
    id                 INTEGER PRIMARY KEY,
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
CREATE INDEX party_applicants_unit_name ON party_applicants(unit_id, name_key, id);
CREATE INDEX party_applicants_name ON party_applicants(name_key, id);
