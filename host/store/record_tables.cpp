#include "store/record_tables.hpp"

#include "runtime/sort_key.hpp"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <thread>

namespace tessera::host {

namespace {

Error schemaError(const QString& message) { return Error{QStringLiteral("schema.card"), message}; }

// The column definition of a new column; text is never NULL ('' when empty), so that search
// and equality need no NULL cases; an empty date is NULL.
QString columnDefinition(const FieldDecl& f) {
    const QString type = columnType(f);
    if (emptyIsText(f)) return f.column + QStringLiteral(" TEXT NOT NULL DEFAULT ''");
    if (f.kind == FieldKind::Checkbox) return f.column + QStringLiteral(" INTEGER NOT NULL DEFAULT 0");
    if (f.kind == FieldKind::Unit) return f.column + QStringLiteral(" INTEGER REFERENCES core_units(id)");
    return f.column + u' ' + type;
}

struct Index {
    QString name;
    QStringList columns;
    bool unique = false;
    QString where;  // partial index condition
};

// The indexes a card needs: its unit (scope), each filter, reference and unique field, each
// sort key; all end in id, which orders ties and makes cursors exact. A filter's index also
// carries the roll and the unit after the field: a filter or a count over a whole large tree
// then reads that index alone, in the field's order, and checks the roll and the unit in it.
std::vector<Index> indexesOf(const CardDecl& card) {
    std::vector<Index> out;
    const FieldDecl* unit = card.unitField();
    const FieldDecl* roll = card.roll.isEmpty() ? nullptr : card.field(card.roll);
    // A card that is a unit keeps its own unit in unit_id, which the scope checks read.
    if (card.isUnit) out.push_back({card.table + QStringLiteral("_unit_id"), {kScopeColumn}, false, {}});
    for (const FieldDecl* f : card.fields()) {
        if (!isStored(card, *f)) continue;
        if (f->unique)
            out.push_back({card.table + u'_' + f->column + QStringLiteral("_unique"), {f->column}, true,
                           emptyIsText(*f) ? f->column + QStringLiteral(" <> ''") : f->column + QStringLiteral(" IS NOT NULL")});
        if (f == roll && f->indexed && unit) {
            // The records off the roll only: few, and never an index a query of those on the roll
            // could be led astray by (one on every roll date would look selective to SQLite).
            out.push_back({card.table + u'_' + f->column, {f->column, kScopeColumn, QStringLiteral("id")}, false, f->column + QStringLiteral(" IS NOT NULL")});
        } else if ((f->filter || f->name == card.workflow.field) && f->indexed && f != unit && f->kind != FieldKind::Reference) {
            // (A workflow's state is looked up by the to-do list: state, then unit.)
            QStringList columns{f->column};
            if (roll && roll != f) columns << roll->column;
            if (unit) columns << kScopeColumn;
            out.push_back({card.table + u'_' + f->column, columns << QStringLiteral("id"), false, {}});
        } else if (f->kind == FieldKind::Unit || f->kind == FieldKind::Reference || (f->filter && f->indexed) ||
                   (f->sort && !hasSortKey(*f)))
            out.push_back({card.table + u'_' + f->column, {f->column, QStringLiteral("id")}, false, {}});
        if (hasSortKey(*f)) out.push_back({card.table + u'_' + sortKeyColumn(*f), {sortKeyColumn(*f), QStringLiteral("id")}, false, {}});
    }
    // The card's own (indexes="..."), for a plugin's queries.
    for (const QStringList& names : card.indexes) {
        QStringList columns;
        for (const QString& name : names)
            if (const FieldDecl* f = card.field(name)) columns << f->column;
        out.push_back({card.table + QStringLiteral("_by_") + columns.join(u'_'), columns << QStringLiteral("id"), false, {}});
    }
    out.push_back({card.table + QStringLiteral("_updated"), {QStringLiteral("updated_at"), QStringLiteral("id")}, false, {}});
    return out;
}

// column -> declared type, in table order; empty when the table does not exist.
Result<QHash<QString, QString>> existingColumns(SqliteStore& store, const QString& table) {
    auto rows = store.query(QStringLiteral("SELECT name, type FROM pragma_table_info(?1)"), {table});
    if (!rows) return rows.error();
    QHash<QString, QString> out;
    for (const auto& row : *rows) out.insert(row.value(QStringLiteral("name")).toString(), row.value(QStringLiteral("type")).toString().toUpper());
    return out;
}

// How a non-unique partial index's condition shows in its key (a unique index's key says
// "unique:" only: a unique index on the column is all a partial one asks for).
QString indexKeyWhere(const QString& where) { return QStringLiteral("where %1:").arg(where.trimmed()); }

// The columns of every index of the table, joined by ',' ("unique:" first for a unique one),
// by index name; an index the card needs is already there when an index (whatever its name)
// has the same columns.
Result<QHash<QString, QString>> existingIndexes(SqliteStore& store, const QString& table) {
    auto rows = store.query(QStringLiteral("SELECT l.name AS idx, l.\"unique\" AS u, l.partial AS p, m.sql AS sql, i.name AS col "
                                           "FROM pragma_index_list(?1) l JOIN pragma_index_info(l.name) i LEFT JOIN sqlite_master m ON m.name = l.name "
                                           "ORDER BY l.name, i.seqno"),
                            {table});
    if (!rows) return rows.error();
    QHash<QString, QStringList> byIndex;
    QHash<QString, QString> prefix;
    for (const auto& row : *rows) {
        const QString name = row.value(QStringLiteral("idx")).toString();
        byIndex[name] << row.value(QStringLiteral("col")).toString();
        if (row.value(QStringLiteral("u")).toLongLong() != 0) prefix[name] = QStringLiteral("unique:");
        else if (row.value(QStringLiteral("p")).toLongLong() != 0) {
            const QString sql = row.value(QStringLiteral("sql")).toString();
            prefix[name] = indexKeyWhere(sql.mid(sql.lastIndexOf(QStringLiteral(" WHERE ")) + 7));
        }
    }
    QHash<QString, QString> out;
    for (auto it = byIndex.begin(); it != byIndex.end(); ++it) out.insert(it.key(), prefix.value(it.key()) + it.value().join(u','));
    return out;
}

bool sameAffinity(const QString& declared, const QString& existing) {
    if (declared == u"INTEGER") return existing.contains(QStringLiteral("INT"));
    if (declared == u"REAL") return existing.contains(QStringLiteral("REAL")) || existing.contains(QStringLiteral("FLOA")) ||
                                     existing.contains(QStringLiteral("DOUB"));
    return existing.contains(QStringLiteral("TEXT")) || existing.contains(QStringLiteral("CHAR")) || existing.contains(QStringLiteral("CLOB"));
}

// The triggers that keep a card's counts (core_kept_counts), name -> CREATE TRIGGER
// statement: one on insert and one on delete for all counted fields, and one per counted
// field on update, which fires only when its value or the record's place on the roll changed.
std::vector<std::pair<QString, QString>> keptCountTriggers(const CardDecl& card) {
    std::vector<std::pair<QString, QString>> out;
    const std::vector<const FieldDecl*> counted = keptCountFields(card);
    if (counted.empty()) return out;
    const FieldDecl* roll = card.roll.isEmpty() ? nullptr : card.field(card.roll);
    const QString& table = card.table;
    const auto onRoll = [&](const char* row) {
        return roll ? QStringLiteral("(%1.%2 IS NULL)").arg(QLatin1String(row), roll->column) : QStringLiteral("1");
    };
    const auto add = [&](const FieldDecl& f) {
        return QStringLiteral(
                   "INSERT INTO core_kept_counts (tbl, col, on_roll, value, n) VALUES ('%1', '%2', %3, coalesce(new.%2, x''), 1) "
                   "ON CONFLICT (tbl, col, on_roll, value) DO UPDATE SET n = n + 1;")
            .arg(table, f.column, onRoll("new"));
    };
    const auto take = [&](const FieldDecl& f) {
        return QStringLiteral(
                   "UPDATE core_kept_counts SET n = n - 1 WHERE tbl = '%1' AND col = '%2' AND on_roll = %3 AND value = coalesce(old.%2, "
                   "x'');")
            .arg(table, f.column, onRoll("old"));
    };
    QStringList inserts, deletes;
    for (const FieldDecl* f : counted) {
        inserts << add(*f);
        deletes << take(*f);
    }
    const QString prefix = table + QStringLiteral("_kept_count_");
    out.emplace_back(prefix + QStringLiteral("ins"),
                     QStringLiteral("CREATE TRIGGER %1ins AFTER INSERT ON %2 BEGIN\n%3\nEND").arg(prefix, table, inserts.join(u'\n')));
    out.emplace_back(prefix + QStringLiteral("del"),
                     QStringLiteral("CREATE TRIGGER %1del AFTER DELETE ON %2 BEGIN\n%3\nEND").arg(prefix, table, deletes.join(u'\n')));
    for (const FieldDecl* f : counted) {
        QString of = f->column, when = QStringLiteral("old.%1 IS NOT new.%1").arg(f->column);
        if (roll) {
            of += QStringLiteral(", ") + roll->column;
            when += QStringLiteral(" OR %1 <> %2").arg(onRoll("old"), onRoll("new"));
        }
        out.emplace_back(prefix + QStringLiteral("upd_") + f->column,
                         QStringLiteral("CREATE TRIGGER %1upd_%2 AFTER UPDATE OF %3 ON %4 WHEN %5 BEGIN\n%6\n%7\nEND")
                             .arg(prefix, f->column, of, table, when, take(*f), add(*f)));
    }
    return out;
}

// Counts every counted field of the card's table afresh (after the triggers were made or
// while they were away).
Status recount(tessera::Database& db, const CardDecl& card) {
    if (auto w = db.execute(QStringLiteral("DELETE FROM core_kept_counts WHERE tbl = ?1"), {card.table}); !w) return w.error();
    // On the roll and off it, each counted by the field alone: SQLite then reads the field's
    // index (field, roll, unit, id) in order instead of sorting every record by an expression
    // (at 1,000,000 members about a quarter of the time).
    const FieldDecl* roll = card.roll.isEmpty() ? nullptr : card.field(card.roll);
    const std::vector<std::pair<int, QString>> places =
        roll ? std::vector<std::pair<int, QString>>{{1, QStringLiteral(" WHERE %1 IS NULL").arg(roll->column)},
                                                    {0, QStringLiteral(" WHERE %1 IS NOT NULL").arg(roll->column)}}
             : std::vector<std::pair<int, QString>>{{1, QString()}};
    for (const FieldDecl* f : keptCountFields(card))
        for (const auto& [onRoll, where] : places)
            if (auto w = db.execute(
                    QStringLiteral("INSERT INTO core_kept_counts (tbl, col, on_roll, value, n) SELECT ?1, ?2, %1, coalesce(%2, x''), "
                                   "count(*) FROM %3%4 GROUP BY %2")
                        .arg(onRoll)
                        .arg(f->column, card.table, where),
                    {card.table, f->column});
                !w)
                return w.error();
    return {};
}

// The kept-count triggers the table has now, name -> statement.
Result<std::vector<std::pair<QString, QString>>> existingKeptCountTriggers(tessera::Database& db, const QString& table) {
    // By what they are on, not by name: a table a migration renamed keeps its triggers, named
    // after the old name.
    auto rows = db.query(
        QStringLiteral("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1 AND name GLOB '*_kept_count_*' "
                       "ORDER BY name"),
        {table});
    if (!rows) return rows.error();
    std::vector<std::pair<QString, QString>> out;
    for (const auto& row : *rows)
        out.emplace_back(row.value(QStringLiteral("name")).toString(), row.value(QStringLiteral("sql")).toString());
    return out;
}

}  // namespace

Status dropKeptCountTriggers(tessera::Database& db, const QString& table) {
    auto existing = existingKeptCountTriggers(db, table);
    if (!existing) return existing.error();
    for (const auto& [name, sql] : *existing)
        if (auto w = db.execute(QStringLiteral("DROP TRIGGER %1").arg(name)); !w) return w.error();
    return {};
}

namespace {

// Makes the table's kept-count triggers those of the card (none when nothing is counted) and,
// when they changed, counts afresh; `done` gets what was done, for the log.
Status reconcileKeptCounts(tessera::Database& db, const CardDecl& card, QStringList& done) {
    auto existing = existingKeptCountTriggers(db, card.table);
    if (!existing) return existing.error();
    auto wanted = keptCountTriggers(card);
    std::sort(wanted.begin(), wanted.end());
    if (*existing == wanted) {
        // Nothing counted (any longer): no counts of the table either (a migration that dropped
        // a counted column dropped its triggers first; see SchemaMigrations::apply).
        if (wanted.empty())
            if (auto w = db.execute(QStringLiteral("DELETE FROM core_kept_counts WHERE tbl = ?1"), {card.table}); !w) return w.error();
        return {};
    }
    if (auto s = dropKeptCountTriggers(db, card.table); !s) return s;
    for (const auto& [name, sql] : wanted)
        if (auto w = db.execute(sql); !w) return w.error();
    if (auto s = recount(db, card); !s) return s;
    QStringList columns;
    for (const FieldDecl* f : keptCountFields(card)) columns << f->column;
    done << (columns.isEmpty() ? QStringLiteral("stopped keeping counts of %1").arg(card.table)
                               : QStringLiteral("keeping counts of %1 by %2").arg(card.table, columns.join(QStringLiteral(", "))));
    return {};
}

}  // namespace

std::vector<const FieldDecl*> keptCountFields(const CardDecl& card) {
    std::vector<const FieldDecl*> out;
    for (const FieldDecl* f : card.fields())
        if (f->counted && isStored(card, *f) && card.units.size() < 2) out.push_back(f);
    return out;
}

QString columnType(const FieldDecl& field) {
    switch (field.kind) {
    case FieldKind::Integer:
    case FieldKind::Decimal:
    case FieldKind::Checkbox:
    case FieldKind::Unit:
    case FieldKind::Reference:
        return QStringLiteral("INTEGER");
    case FieldKind::User:
        return field.multiple ? QStringLiteral("TEXT") : QStringLiteral("INTEGER");  // ",3,7," for several
    case FieldKind::Number: return QStringLiteral("REAL");
    default: return QStringLiteral("TEXT");
    }
}

bool isStored(const CardDecl& card, const FieldDecl& field) { return !(card.isUnit && field.kind == FieldKind::Unit); }

bool emptyIsText(const FieldDecl& field) {
    // The TEXT kinds of columnType() but dates (asked for every field of every row written).
    switch (field.kind) {
    case FieldKind::Integer:
    case FieldKind::Decimal:
    case FieldKind::Checkbox:
    case FieldKind::Unit:
    case FieldKind::Reference:
    case FieldKind::Number:
    case FieldKind::Date:
    case FieldKind::DateTime: return false;
    case FieldKind::User:
        return field.multiple;
    default: return true;
    }
}

bool hasSortKey(const FieldDecl& field) {
    return field.sort && (field.kind == FieldKind::Text || field.kind == FieldKind::Textarea);
}

QString sortKeyColumn(const FieldDecl& field) { return field.column + QStringLiteral("_sort"); }

Result<QStringList> reconcileCardTable(SqliteStore& store, const CardDecl& card) {
    QStringList done;
    const auto fields = card.fields();
    Status s = store.transactionWithSummary(QStringLiteral("schema of card table %1").arg(card.table), [&]() -> Status {
        auto columns = existingColumns(store, card.table);
        if (!columns) return columns.error();
        QStringList sortKeysToFill;
        if (columns->isEmpty()) {
            QStringList definitions{QStringLiteral("id INTEGER PRIMARY KEY AUTOINCREMENT")};
            if (card.isUnit) definitions << kScopeColumn + QStringLiteral(" INTEGER NOT NULL");  // = id: the record's own unit
            for (const FieldDecl* f : fields) {
                if (!isStored(card, *f)) continue;
                definitions << columnDefinition(*f);
                if (hasSortKey(*f)) definitions << sortKeyColumn(*f) + QStringLiteral(" BLOB");
            }
            definitions << QStringLiteral("version INTEGER NOT NULL DEFAULT 1") << QStringLiteral("created_at TEXT NOT NULL")
                        << QStringLiteral("updated_at TEXT NOT NULL");
            if (auto w = store.execute(QStringLiteral("CREATE TABLE %1 (\n    %2\n)").arg(card.table, definitions.join(QStringLiteral(",\n    ")))); !w)
                return w.error();
            done << QStringLiteral("created table %1").arg(card.table);
        } else {
            QStringList system{QStringLiteral("id"), QStringLiteral("version"), QStringLiteral("created_at"), QStringLiteral("updated_at")};
            if (card.isUnit) system << kScopeColumn;
            for (const QString& column : system)
                if (!columns->contains(column))
                    return schemaError(QStringLiteral("table %1 of card %2 has no column %3, which every served card's table has; "
                                                      "ship a migration that adds it")
                                           .arg(card.table, card.id, column));
            for (const FieldDecl* f : fields) {
                if (!isStored(card, *f)) continue;
                const QString type = columnType(*f);
                if (const auto it = columns->constFind(f->column); it != columns->constEnd()) {
                    if (!sameAffinity(type, *it))
                        return schemaError(QStringLiteral("column %1.%2 is %3, but field %4 of card %5 (kind %6) is stored as %7; "
                                                          "a migration must convert it")
                                               .arg(card.table, f->column, it->isEmpty() ? QStringLiteral("untyped") : *it, f->name, card.id,
                                                    fieldKindName(f->kind), type));
                } else {
                    if (auto w = store.execute(QStringLiteral("ALTER TABLE %1 ADD COLUMN %2").arg(card.table, columnDefinition(*f))); !w)
                        return w.error();
                    done << QStringLiteral("added column %1 to %2").arg(f->column, card.table);
                    // fill-from="...": the rows already there take another field's value (a
                    // unit split in two keeps the one both were).
                    const FieldDecl* from = f->fillFrom.isEmpty() ? nullptr : card.field(f->fillFrom);
                    if (from && columns->contains(from->column)) {  // a new one too: both start empty
                        auto w = store.execute(QStringLiteral("UPDATE %1 SET %2 = %3").arg(card.table, f->column, from->column));
                        if (!w) return w.error();
                        done
                            << QStringLiteral("filled %1 of %2 from %3 (%4 rows)").arg(f->column, card.table, from->column).arg(w->changes);
                    }
                }
                if (hasSortKey(*f) && !columns->contains(sortKeyColumn(*f))) {
                    if (auto w = store.execute(QStringLiteral("ALTER TABLE %1 ADD COLUMN %2 BLOB").arg(card.table, sortKeyColumn(*f))); !w)
                        return w.error();
                    sortKeysToFill << f->column;
                    done << QStringLiteral("added sort keys %1 to %2").arg(sortKeyColumn(*f), card.table);
                }
            }
        }
        // Sort keys of rows that predate their column: computed here, once.
        for (const QString& column : sortKeysToFill) {
            auto rows = store.query(QStringLiteral("SELECT id, %1 AS v FROM %2").arg(column, card.table));
            if (!rows) return rows.error();
            for (const auto& row : *rows)
                if (auto w = store.execute(QStringLiteral("UPDATE %1 SET %2_sort = ?1 WHERE id = ?2").arg(card.table, column),
                                           {zhSortKey(row.value(QStringLiteral("v")).toString()), row.value(QStringLiteral("id"))});
                    !w)
                    return w.error();
        }
        auto indexes = existingIndexes(store, card.table);
        if (!indexes) return indexes.error();
        for (const Index& index : indexesOf(card)) {
            const QString key = (index.unique ? QStringLiteral("unique:") : index.where.isEmpty() ? QString() : indexKeyWhere(index.where)) +
                                index.columns.join(u',');
            if (std::find(indexes->cbegin(), indexes->cend(), key) != indexes->cend()) continue;
            // An index of this name made for an earlier version of the card (other columns)
            // holds no data of its own: it is made again.
            if (indexes->contains(index.name)) {
                if (auto w = store.execute(QStringLiteral("DROP INDEX %1").arg(index.name)); !w) return w.error();
                done << QStringLiteral("dropped index %1 (%2) to make it again").arg(index.name, indexes->value(index.name));
            }
            QString sql = QStringLiteral("CREATE %1INDEX %2 ON %3(%4)")
                              .arg(index.unique ? QStringLiteral("UNIQUE ") : QString(), index.name, card.table, index.columns.join(QStringLiteral(", ")));
            if (!index.where.isEmpty()) sql += QStringLiteral(" WHERE ") + index.where;
            if (auto w = store.execute(sql); !w) {
                if (index.unique)
                    return schemaError(QStringLiteral("field %1 of card %2 is declared unique, but records of %3 already share values "
                                                      "of %4; correct them before declaring it unique (%5)")
                                           .arg(index.columns.front(), card.id, card.table, index.columns.front(), w.error().message));
                return w.error();
            }
            done << QStringLiteral("added index %1").arg(index.name);
        }
        return reconcileKeptCounts(store, card, done);
    });
    if (!s) return s.error();
    return done;
}

Result<SuspendedIndexes> SuspendedIndexes::suspend(tessera::Database& db, const CardDecl& card) {
    const QString& table = card.table;
    auto rows = db.query(QStringLiteral("SELECT m.name AS name, m.sql AS sql FROM sqlite_master m JOIN pragma_index_list(?1) l ON l.name = m.name "
                                        "WHERE m.type = 'index' AND m.sql IS NOT NULL AND l.\"unique\" = 0 ORDER BY m.name"),
                         {table});
    if (!rows) return rows.error();
    SuspendedIndexes out;
    for (const auto& row : *rows) {
        if (auto w = db.execute(QStringLiteral("DROP INDEX %1").arg(row.value(QStringLiteral("name")).toString())); !w) return w.error();
        out.definitions_ << row.value(QStringLiteral("sql")).toString();
    }
    // The kept counts too: counted once at the end instead of a row of theirs written per record.
    auto triggers = existingKeptCountTriggers(db, table);
    if (!triggers) return triggers.error();
    for (const auto& [name, sql] : *triggers) {
        if (auto w = db.execute(QStringLiteral("DROP TRIGGER %1").arg(name)); !w) return w.error();
        out.definitions_ << sql;
    }
    if (!triggers->empty()) out.recount_ = &card;
    return out;
}

Status SuspendedIndexes::restore(tessera::Database& db) const {
    if (definitions_.isEmpty()) return {};
    // SQLite sorts an index's keys with helper threads when allowed to (by default it may not).
    const unsigned helpers = std::clamp(std::thread::hardware_concurrency(), 1u, 4u) - 1;
    if (auto w = db.execute(QStringLiteral("PRAGMA threads = %1").arg(helpers)); !w) return w.error();
    Status built;
    for (const QString& sql : definitions_)
        if (auto w = db.execute(sql); !w) {
            built = w.error();
            break;
        }
    if (auto w = db.execute(QStringLiteral("PRAGMA threads = 0")); !w && built) return w.error();
    if (built && recount_) return recount(db, *recount_);
    return built;
}

}  // namespace tessera::host
