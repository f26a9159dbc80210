-- tessera: rebuilds tables
-- A customer's id is never given again once the customer is deleted: a new customer with
-- an old id would inherit the old one's audit history, and a link holding the old id would
-- open the new one. SQLite guarantees that only for AUTOINCREMENT keys, which only a new
-- table can have, so the customers are copied into one (the host runs this with foreign
-- keys off). The sequence starts above every id the audit log has seen, deleted ones too.
CREATE TABLE biz_customers_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    contact     TEXT    NOT NULL DEFAULT '',
    phone       TEXT    NOT NULL DEFAULT '',
    address     TEXT    NOT NULL DEFAULT '',
    notes       TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    unit_id     INTEGER REFERENCES core_units(id)
);
INSERT INTO biz_customers_new(id, name, contact, phone, address, notes, created_at, updated_at, version, unit_id)
    SELECT id, name, contact, phone, address, notes, created_at, updated_at, version, unit_id FROM biz_customers;
DROP TABLE biz_customers;
ALTER TABLE biz_customers_new RENAME TO biz_customers;
CREATE INDEX biz_customers_name ON biz_customers(name, id);
CREATE INDEX biz_customers_updated ON biz_customers(updated_at, id);
CREATE INDEX biz_customers_unit ON biz_customers(unit_id, id);
DELETE FROM sqlite_sequence WHERE name = 'biz_customers';
INSERT INTO sqlite_sequence(name, seq)
    SELECT 'biz_customers', max(ifnull((SELECT max(id) FROM biz_customers), 0),
                                ifnull((SELECT max(record_id) FROM core_audit WHERE table_name = 'biz_customers'), 0));
