-- Numbered fields of served cards (docs/records.md, number="..."): each field's sequence per
-- period (the day, month or year its pattern names; '' when it never restarts). `last` only
-- ever grows, in the transaction that inserts the record: a number is never given twice,
-- whatever many clients create records at once, and a deleted record's number is not reused.
CREATE TABLE core_record_numbers (
    series TEXT NOT NULL,               -- "<plugin-id>/<card-id>/<field>"
    period TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (series, period)
);
