-- Documents printed from records (docs/records.md, "Documents"). Each series (a document of a
-- card) numbers its copies per unit and year; `last` only ever grows, so a number is never
-- given twice, even when a copy is gone. A printed copy is kept as it was printed: its
-- number, who printed it and when, and the filled template.
CREATE TABLE core_document_numbers (
    series TEXT NOT NULL,               -- "<plugin-id>/<card-id>/<document-id>"
    unit_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (series, unit_id, year)
);

CREATE TABLE core_printed_documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    card TEXT NOT NULL,                 -- "<plugin-id>/<card-id>"
    record_id INTEGER NOT NULL,
    document TEXT NOT NULL,
    number TEXT NOT NULL,
    unit_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    printed_on TEXT NOT NULL,           -- the local date, 2026-12-05
    at TEXT NOT NULL,                   -- UTC, ISO 8601 with milliseconds
    user_id INTEGER,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    html TEXT NOT NULL,
    UNIQUE (card, document, unit_id, year, seq)
);
CREATE INDEX core_printed_documents_record ON core_printed_documents(card, record_id, id);
