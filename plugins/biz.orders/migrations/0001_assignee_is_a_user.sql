-- The order's assignee (业务员/仓库) was words typed at the assign step; it is now a user of
-- the deployment holding biz.orders.fulfil, an id the engine keeps in a column of its own
-- (INTEGER). The words orders were assigned with stay readable as the order's assignment note
-- (assigneeNote, column assignee_note): the column is renamed, nothing is lost, and the engine
-- adds the new assignee column when it reconciles the table after this migration.
--
-- On a new deployment the engine has not made the table yet: it is begun here with the
-- columns every served card's table has and the one renamed, and the engine adds the others.
CREATE TABLE IF NOT EXISTS biz_ord_orders (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    assignee   TEXT    NOT NULL DEFAULT '',
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);
ALTER TABLE biz_ord_orders RENAME COLUMN assignee TO assignee_note;
