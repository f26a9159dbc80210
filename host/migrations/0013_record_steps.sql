-- The steps taken in the workflows of served cards (docs/records.md, "Workflows"): who took
-- which step of which record, when, from which state to which, and what they said. The card's
-- own row changes are in core_audit as every write's; this is the record's workflow history,
-- read by its card and by nothing that may not read the record.
CREATE TABLE core_record_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    card TEXT NOT NULL,                 -- "<plugin-id>/<card-id>"
    record_id INTEGER NOT NULL,
    step TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    user_id INTEGER,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,                   -- UTC, ISO 8601 with milliseconds
    comment TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL            -- the record's version after the step
);
CREATE INDEX core_record_steps_record ON core_record_steps(card, record_id, id);
