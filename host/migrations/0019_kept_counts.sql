-- Counts kept up to date as records change (docs/records.md, "Counts kept up to date"):
-- for each card field declared counted="true", how many records of the card's table hold each value, on the
-- roll and off it. Triggers the host makes from the card keep the rows right in the same
-- transaction as every write, whoever writes (the engine, a plugin's SQL, another process),
-- so a count over a whole large table reads a few rows instead of every record.
-- `value` is the column's value as stored; an empty (NULL) value is kept as x'' (no column
-- of a card's table holds a blob), since a key cannot be NULL.
CREATE TABLE core_kept_counts (
    tbl     TEXT    NOT NULL,
    col     TEXT    NOT NULL,
    on_roll INTEGER NOT NULL,  -- 1: the record is on the card's roll (or the card has none)
    value           NOT NULL,  -- no type, so no affinity: '01' stays text, 3 stays an integer
    n       INTEGER NOT NULL,
    PRIMARY KEY (tbl, col, on_roll, value)
) WITHOUT ROWID;
