-- The monthly arrears check (a scheduled job of the host): who was in arrears when each month
-- began, and for how many months in a row. The cards' tables are the record engine's.
CREATE TABLE party_dues_arrears (
    month     TEXT    NOT NULL,  -- the month checked at its start, "2026-12"
    member_id INTEGER NOT NULL,
    unit_id   INTEGER NOT NULL,
    months    INTEGER NOT NULL,  -- months unpaid in a row up to the month before
    PRIMARY KEY (month, member_id)
);
CREATE INDEX party_dues_arrears_member ON party_dues_arrears(member_id, month);
