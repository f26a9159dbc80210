#pragma once
// The columns of party.daily's table files (CSV and Excel): the header people see, the card
// field it holds, and how a cell's text becomes the field's value. Imports read these
// headers (or the JSON field names) and exports write them, so an export imports again
// unchanged.

#include "records.hpp"

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace party::daily {

/// A column of a table file: its header, other headers accepted for it on import, and the
/// card field (JSON name) it holds.
struct TableColumn {
    QString header;
    QStringList aliases;
    QString json;
};

/// The organisation file's columns; 上级党组织 holds the parent's code (or its full name).
const std::vector<TableColumn>& orgColumns();

/// Reads cells as people type them into a spreadsheet.
class CellReader {
public:
    explicit CellReader(const Dictionaries& dictionaries);

    /// A date: 2024-05-01, 2024/5/1, 2024.5.1, 20240501, 2024年5月1日, or an Excel day
    /// number (45413): the ISO date, or nullopt.
    static std::optional<QString> date(const QString& cell);
    /// 是/否, true/false, 1/0, Y/N: nullopt for anything else.
    static std::optional<bool> flag(const QString& cell);
    /// A dictionary code from its label (汉族, 大学本科, 男, 正式党员), the code itself, or a
    /// former name (崩龙族 -> 德昂族, 毛难族 -> 毛南族); nullopt when none fits.
    std::optional<QString> code(const QString& dictionary, const QString& cell) const;
    /// The label of a code, for exports (the code itself when it has none).
    QString label(const QString& dictionary, const QString& code) const;

private:
    const Dictionaries& dictionaries_;
    QHash<QString, QHash<QString, QString>> byLabel_;  // dictionary -> label (and alias) -> code
};

}  // namespace party::daily
