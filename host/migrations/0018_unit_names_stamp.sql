-- A unit's name is part of the label every viewer sees it by (identity/unit_labels.hpp), and
-- a caller's labels are kept with their rights: a rename moves the stamp, like a move does.
CREATE TRIGGER core_units_stamp_name AFTER UPDATE OF name ON core_units BEGIN UPDATE core_identity_stamp SET stamp = stamp + 1; END;
