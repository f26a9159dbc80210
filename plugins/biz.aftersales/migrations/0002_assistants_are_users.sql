-- A ticket's assistants (协助技术员) were words typed by the manager; they are now users of the
-- deployment holding biz.aftersales.work, kept by the engine as ",3,7," in a column of the same
-- name. The words tickets were assisted by stay readable as the ticket's assistants note
-- (assistantsNote, column assistants_note): the column is renamed, nothing is lost, and the
-- engine adds the new assistants column (and crew, visit_on) when it reconciles the table
-- after this migration.
--
-- On a new deployment the engine has not made the table yet: it is begun here with the
-- columns every served card's table has and the one renamed, and the engine adds the others.
CREATE TABLE IF NOT EXISTS biz_as_tickets (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    assistants TEXT    NOT NULL DEFAULT '',
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);
ALTER TABLE biz_as_tickets RENAME COLUMN assistants TO assistants_note;
