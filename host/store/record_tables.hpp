#pragma once
// The tables of the cards the host serves (docs/records.md): the one place that turns a
// card into SQL. A card's table has the key `id` (never reused), `version`, `created_at`
// and `updated_at`, one column per field, and a sort-key column `<column>_sort` beside each
// text field that sorts. The host creates a missing table from its card and adds the columns
// and indexes a card gained; anything that would lose or convert data (a dropped or renamed
// field, a changed kind) is a migration the plugin ships, and until it does, the plugin
// does not start and the error says which column differs.

#include "runtime/manifest.hpp"
#include "store/sqlite_store.hpp"

#include <tessera/result.hpp>

#include <QString>
#include <QStringList>

namespace tessera::host {

/// Whether the field has a column of the card's table: all but the unit field of a card that
/// is a unit (its parent, which the unit tree keeps).
bool isStored(const CardDecl& card, const FieldDecl& field);
/// The column of every served card's table that holds the unit a record belongs to (the
/// scope, the audit log's unit): the unit field's, or for a card that is a unit, its own id.
inline const QString kScopeColumn = QStringLiteral("unit_id");

/// The SQL type a field is stored as: TEXT, INTEGER or REAL.
QString columnType(const FieldDecl& field);
/// Whether the field has a sort-key column beside it (a text field that sorts).
/// Whether an empty value is stored as '' (text, dropdowns, subforms: search and equality
/// need no NULL cases) rather than NULL (numbers, units, references, dates: no date is NULL).
bool emptyIsText(const FieldDecl& field);
bool hasSortKey(const FieldDecl& field);
/// The sort-key column of such a field.
QString sortKeyColumn(const FieldDecl& field);

/// The fields whose counts the host keeps up to date in core_kept_counts (counted="true";
/// docs/records.md, "Counts kept up to date"), in card order; none for a card whose records several units
/// share (a count of theirs is never of the whole table less a few units).
std::vector<const FieldDecl*> keptCountFields(const CardDecl& card);

/// Drops the triggers that keep the counts of `table` (reconcileCardTable() makes them again
/// and counts afresh), before migrations that may drop or rename a counted column.
Status dropKeptCountTriggers(tessera::Database& db, const QString& table);

/// Creates or extends the table of a served card; returns what it did, for the log ("created
/// table biz_visits", "added column phone to biz_customers"). Error "schema.card" names the
/// table, the column and what a migration must do.
Result<QStringList> reconcileCardTable(SqliteStore& store, const CardDecl& card);

/// A bulk load into an empty table (an import) inserts its rows first and builds the table's
/// secondary indexes once after them: SQLite then sorts each index once instead of inserting
/// into every B-tree per row (for 1,000,000 party members, 14 s instead of 21 s with the
/// sqlite3 shell). Unique indexes stay, as constraints. The triggers that keep the card's
/// counts go too, and the counts are made once at the end. Call inside the load's
/// transaction; a rollback brings the indexes back as they were, so only a commit needs
/// restore().
class SuspendedIndexes {
public:
    /// Drops the non-unique indexes and kept-count triggers of `card`'s table, keeping their
    /// definitions.
    static Result<SuspendedIndexes> suspend(tessera::Database& db, const CardDecl& card);
    /// Creates them again, as the schema had them, and counts the table afresh.
    Status restore(tessera::Database& db) const;

private:
    QStringList definitions_;            // CREATE INDEX and CREATE TRIGGER statements
    const CardDecl* recount_ = nullptr;  // the card whose counts to make again, if it keeps any
};

}  // namespace tessera::host
