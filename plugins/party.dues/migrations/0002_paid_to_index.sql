-- The arrears (dues_rules.cpp, arrears()) need each member's last month paid: max(to_month) of
-- their payments. The card's index on member_id alone makes that a read of every payment row
-- of the member, scattered over the table as payments come in month by month; with to_month in
-- the index it is one look in the index. Measured with bench/dues-arrears.sh: 1,000,000 members,
-- 8 million payments.
--
-- The payment card's table is the record engine's, made after the plugin's migrations: on a new
-- database it does not exist yet, so it is made here in full, exactly as the engine makes it
-- for the card (docs/records.md, "Tables"); the engine then adds its own indexes to it.
CREATE TABLE IF NOT EXISTS party_dues_payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER,
    member_name TEXT NOT NULL DEFAULT '',
    member_name_sort BLOB,
    unit_id INTEGER REFERENCES core_units(id),
    from_month TEXT NOT NULL DEFAULT '',
    from_month_sort BLOB,
    to_month TEXT NOT NULL DEFAULT '',
    amount INTEGER,
    expected INTEGER,
    paid_on TEXT,
    method TEXT NOT NULL DEFAULT '',
    proxy TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX party_dues_payments_paid_to ON party_dues_payments(member_id, to_month);
