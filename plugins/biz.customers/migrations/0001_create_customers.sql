-- Customer master data shared by the business modules.
CREATE TABLE biz_customers (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    contact     TEXT    NOT NULL DEFAULT '',
    phone       TEXT    NOT NULL DEFAULT '',
    address     TEXT    NOT NULL DEFAULT '',
    notes       TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX biz_customers_name ON biz_customers(name, id);
CREATE INDEX biz_customers_updated ON biz_customers(updated_at, id);
