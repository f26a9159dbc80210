-- 预备期满日期: the day a probationary member's probation ends, a year from joining (the
-- branch meeting), later when it was extended (party.develop writes it then). Probationary
-- members on the roll already get the year; a join on 02-29 ends on 02-28, as the plugin
-- computes it (SQLite's '+1 year' would give 03-01). Full members keep it empty: whether
-- their probation was once extended is not known.
ALTER TABLE party_members ADD COLUMN probation_ends TEXT;
UPDATE party_members SET probation_ends = CASE
        WHEN substr(join_date, 6, 5) = '02-29' THEN date(join_date, '+1 year', '-1 day')
        ELSE date(join_date, '+1 year') END
    WHERE category = 'probationary' AND join_date IS NOT NULL AND join_date <> '';
