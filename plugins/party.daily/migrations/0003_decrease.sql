-- A member leaves through a recorded decrease (减少): its date and reason (a code of the
-- manifest's member-decrease dictionary). The record stays, as history: lists and counts
-- show the members on the roll (left_date IS NULL) unless asked for the former ones.
ALTER TABLE party_members ADD COLUMN left_date TEXT;
ALTER TABLE party_members ADD COLUMN left_reason TEXT NOT NULL DEFAULT '';
-- The counts index, with whether a member is on the roll right after the unit.
DROP INDEX party_members_counts;
CREATE INDEX party_members_counts ON party_members(unit_id, left_date, category, gender, ethnicity, education, birth_date);
