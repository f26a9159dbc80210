-- The organisation-unit tree. Materialized path: `path` is the ids from the root down,
-- "/1/5/12/", so a subtree is one index range scan (path >= '/1/5/' AND path < '/1/50'),
-- costing O(size of the subtree), and moving a subtree rewrites only its own rows.
-- A closure table would answer the same queries but costs O(depth) rows per unit and a
-- bigger rewrite on move; units are read far more than moved.
CREATE TABLE core_units (
    id          INTEGER PRIMARY KEY,
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
CREATE INDEX core_units_parent ON core_units(parent_id, sort_order, id);
