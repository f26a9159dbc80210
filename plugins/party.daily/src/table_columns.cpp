#include "table_columns.hpp"

#include <QDate>
#include <QRegularExpression>

namespace party::daily {

namespace {

TableColumn column(const char* header, const char* json, QStringList aliases = {}) {
    return TableColumn{QString::fromUtf8(header), std::move(aliases), QLatin1String(json)};
}

}  // namespace

const std::vector<TableColumn>& orgColumns() {
    static const std::vector<TableColumn> columns{
        column("党组织代码", "code", {QStringLiteral("组织代码")}),
        column("党组织全称", "fullName", {QStringLiteral("全称")}),
        column("简称", "shortName"),
        column("党组织类别", "orgType", {QStringLiteral("类别")}),
        column("上级党组织", "parentId", {QStringLiteral("上级党组织代码")}),
        column("单位情况", "unitSituation"),
        column("建立日期", "setupDate"),
        column("批准文号", "setupDocument"),
        column("离退休党支部", "retirementBranch"),
        column("书记", "secretary"),
        column("联系人", "contact"),
        column("联系电话", "phone"),
        column("通讯地址", "address"),
        column("状态", "status", {QStringLiteral("组织状态")}),
        column("撤销日期", "dissolvedDate"),
    };
    return columns;
}

CellReader::CellReader(const Dictionaries& dictionaries) : dictionaries_(dictionaries) {
    for (auto d = dictionaries.begin(); d != dictionaries.end(); ++d) {
        auto& labels = byLabel_[d.key()];
        for (auto it = d.value().begin(); it != d.value().end(); ++it) labels.insert(it.value(), it.key());
    }
    // Names the national table has since changed (GB/T 3304: 崩龙族 became 德昂族 in 1985,
    // 毛难族 became 毛南族 in 1986), and the short forms people write for categories.
    auto& ethnicity = byLabel_[QStringLiteral("ethnicity")];
    ethnicity.insert(QStringLiteral("崩龙族"), QStringLiteral("46"));
    ethnicity.insert(QStringLiteral("毛难族"), QStringLiteral("36"));
    auto& category = byLabel_[QStringLiteral("member-category")];
    category.insert(QStringLiteral("正式"), QStringLiteral("formal"));
    category.insert(QStringLiteral("预备"), QStringLiteral("probationary"));
}

std::optional<QString> CellReader::date(const QString& cell) {
    QString text = cell.trimmed();
    // A date with a time (2024-05-01 08:30:00 from a date-time cell, 2024/5/1 8:30, ISO's
    // 2024-05-01T08:30:00, or a day number with a fraction, 45413.35): the date is the day.
    static const QRegularExpression time(QStringLiteral("^(\\S+)[ T]+\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?$"));
    static const QRegularExpression fraction(QStringLiteral("^(\\d{1,5})\\.\\d+$"));
    if (auto m = text.size() > 10 ? time.match(text) : QRegularExpressionMatch(); m.hasMatch()) text = m.captured(1);
    else if (auto f = text.contains(QLatin1Char('.')) ? fraction.match(text) : QRegularExpressionMatch(); f.hasMatch()) text = f.captured(1);
    // The common case first, without a regular expression: 2024-05-01 as it is.
    if (text.size() == 10 && text.at(4) == QLatin1Char('-') && text.at(7) == QLatin1Char('-')) {
        int parts[3] = {0, 0, 0};
        int part = 0;
        bool digits = true;
        for (qsizetype i = 0; i < 10 && digits; ++i) {
            if (i == 4 || i == 7) {
                ++part;
                continue;
            }
            const char16_t c = text.at(i).unicode();
            digits = c >= u'0' && c <= u'9';
            parts[part] = parts[part] * 10 + (c - u'0');
        }
        if (digits) {
            if (!QDate(parts[0], parts[1], parts[2]).isValid()) return std::nullopt;
            return text;
        }
    }
    static const QRegularExpression parts(QStringLiteral("^(\\d{4})\\s*[-/.年]\\s*(\\d{1,2})\\s*[-/.月]\\s*(\\d{1,2})\\s*日?$"));
    static const QRegularExpression compact(QStringLiteral("^(\\d{4})(\\d{2})(\\d{2})$"));
    static const QRegularExpression serial(QStringLiteral("^\\d{1,5}(\\.0+)?$"));
    QDate d;
    if (auto m = parts.match(text); m.hasMatch()) d = QDate(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    else if (auto c = compact.match(text); c.hasMatch()) d = QDate(c.captured(1).toInt(), c.captured(2).toInt(), c.captured(3).toInt());
    else if (serial.match(text).hasMatch()) {
        // A year alone (1990) is no date, though it reads as day 1990 of Excel's count (1905).
        if (const qint64 n = static_cast<qint64>(text.toDouble()); n >= 1900 && n <= 2100) return std::nullopt;
        // Excel's day numbers count from 1899-12-30 (its 1900 leap-year bug included).
        const qint64 n = static_cast<qint64>(text.toDouble());
        if (n >= 1) d = QDate(1899, 12, 30).addDays(n);
    }
    if (!d.isValid()) return std::nullopt;
    return d.toString(Qt::ISODate);
}

std::optional<bool> CellReader::flag(const QString& cell) {
    const QString t = cell.trimmed().toLower();
    if (t == QStringLiteral("是") || t == QLatin1String("true") || t == QLatin1String("1") || t == QLatin1String("y") || t == QLatin1String("yes"))
        return true;
    if (t == QStringLiteral("否") || t == QLatin1String("false") || t == QLatin1String("0") || t == QLatin1String("n") || t == QLatin1String("no"))
        return false;
    return std::nullopt;
}

std::optional<QString> CellReader::code(const QString& dictionary, const QString& cell) const {
    const QString text = cell.trimmed();
    if (dictionaries_.value(dictionary).contains(text)) return text;
    const auto& labels = byLabel_.value(dictionary);
    if (auto it = labels.constFind(text); it != labels.constEnd()) return it.value();
    // 汉 for 汉族.
    if (dictionary == QLatin1String("ethnicity"))
        if (auto it = labels.constFind(text + QStringLiteral("族")); it != labels.constEnd()) return it.value();
    return std::nullopt;
}

QString CellReader::label(const QString& dictionary, const QString& code) const {
    return dictionaries_.value(dictionary).value(code, code);
}

}  // namespace party::daily
