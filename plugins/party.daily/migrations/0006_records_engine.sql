-- Members and applicants are served by the host's record engine (docs/records.md), which
-- keeps a sorted text field's pinyin key in <column>_sort: the key party.daily kept as
-- name_key is that key, computed the same way, so it is renamed, not recomputed. The
-- indexes on it follow the rename.
ALTER TABLE party_members RENAME COLUMN name_key TO name_sort;
ALTER TABLE party_applicants RENAME COLUMN name_key TO name_sort;
