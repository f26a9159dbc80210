-- Links a customer opens to fill the satisfaction survey of a closed ticket without logging
-- in: only the token's SHA-256 is kept (a copy of the database gives no working link), each
-- is used once and expires; a new link for the ticket retires the ones before it.
CREATE TABLE biz_as_survey_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX biz_as_survey_links_ticket ON biz_as_survey_links (ticket_id);
