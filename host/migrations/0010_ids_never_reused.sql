-- tessera: rebuilds tables
-- Ids of units, roles and role assignments are never given again once their record is
-- deleted: a new record with an old id would inherit the old one's audit history, and a
-- link or script holding the old id would reach the new one. SQLite guarantees that only
-- for AUTOINCREMENT keys, which only a new table can have, so each table is copied into
-- one (the migration runner turns foreign keys off for this, see store/migrations.hpp).
-- The sequence starts above every id the audit log has seen, deleted ones included.
-- (core_users are disabled, never deleted; API tokens are revoked, never deleted.)

CREATE TABLE core_units_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id   INTEGER REFERENCES core_units(id),
    name        TEXT    NOT NULL,
    code        TEXT    NOT NULL DEFAULT '',
    path        TEXT    NOT NULL UNIQUE,
    depth       INTEGER NOT NULL,
    sort_order  INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
INSERT INTO core_units_new(id, parent_id, name, code, path, depth, sort_order, created_at, updated_at, version)
    SELECT id, parent_id, name, code, path, depth, sort_order, created_at, updated_at, version FROM core_units;
DROP TABLE core_units;
ALTER TABLE core_units_new RENAME TO core_units;
CREATE INDEX core_units_parent ON core_units(parent_id, sort_order, id);
CREATE TRIGGER core_units_stamp_u AFTER UPDATE OF path, parent_id ON core_units BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;
CREATE TRIGGER core_units_stamp_d AFTER DELETE ON core_units BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;

CREATE TABLE core_roles_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE,
    label       TEXT    NOT NULL DEFAULT '',
    builtin     INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
INSERT INTO core_roles_new(id, name, label, builtin, created_at, updated_at, version)
    SELECT id, name, label, builtin, created_at, updated_at, version FROM core_roles;
DROP TABLE core_roles;
ALTER TABLE core_roles_new RENAME TO core_roles;
CREATE TRIGGER core_roles_stamp_u AFTER UPDATE ON core_roles BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;
CREATE TRIGGER core_roles_stamp_d AFTER DELETE ON core_roles BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;

CREATE TABLE core_assignments_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES core_users(id) ON DELETE CASCADE,
    role_id     INTEGER NOT NULL REFERENCES core_roles(id),
    unit_id     INTEGER REFERENCES core_units(id),
    scope       TEXT    NOT NULL CHECK (scope IN ('unit', 'subtree', 'all')),
    created_at  TEXT    NOT NULL,
    CHECK ((scope = 'all') = (unit_id IS NULL))
);
INSERT INTO core_assignments_new(id, user_id, role_id, unit_id, scope, created_at)
    SELECT id, user_id, role_id, unit_id, scope, created_at FROM core_assignments;
DROP TABLE core_assignments;
ALTER TABLE core_assignments_new RENAME TO core_assignments;
CREATE UNIQUE INDEX core_assignments_unique ON core_assignments(user_id, role_id, ifnull(unit_id, 0), scope);
CREATE INDEX core_assignments_unit ON core_assignments(unit_id);
CREATE TRIGGER core_assignments_stamp_i AFTER INSERT ON core_assignments BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;
CREATE TRIGGER core_assignments_stamp_u AFTER UPDATE ON core_assignments BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;
CREATE TRIGGER core_assignments_stamp_d AFTER DELETE ON core_assignments BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;

DELETE FROM sqlite_sequence WHERE name IN ('core_units', 'core_roles', 'core_assignments');
INSERT INTO sqlite_sequence(name, seq)
    SELECT t.name, max(ifnull(t.kept, 0), ifnull((SELECT max(a.record_id) FROM core_audit a WHERE a.table_name = t.name), 0))
    FROM (SELECT 'core_units' AS name, (SELECT max(id) FROM core_units) AS kept
          UNION ALL SELECT 'core_roles', (SELECT max(id) FROM core_roles)
          UNION ALL SELECT 'core_assignments', (SELECT max(id) FROM core_assignments)) t;
