#pragma once
// Shared helpers for the tests: temporary folders and files.

#include <tessera/access.hpp>
#include <tessera/context.hpp>
#include <tessera/result.hpp>

#include <QDateTime>
#include <QSet>
#include <QString>
#include <QTemporaryDir>

#include <stdexcept>
#include <utility>

namespace tessera::test {

/// The scope of an administrator of every unit, for handlers called directly in tests (a
/// request the host has not scoped reaches nothing: tessera::noUnits()).
class AllUnits final : public tessera::Scope {
public:
    bool all() const override { return true; }
    bool empty() const override { return false; }
    QString condition(const QString&, tessera::Params&) const override { return QStringLiteral("1=1"); }
    bool contains(qint64) const override { return true; }
    QString conditionWithin(const QString& column, qint64 unit, tessera::Params& params) const override {
        params.push_back(unit);
        return QStringLiteral("%1 IN (SELECT id FROM core_units WHERE id = ?%2 OR path LIKE (SELECT path FROM core_units WHERE id = ?%2) || '%%')")
            .arg(column)
            .arg(params.size());
    }
};

inline const tessera::Scope& allUnits() {
    static const AllUnits all;
    return all;
}

/// A fresh folder removed at the end of the test.
class TempDir {
public:
    TempDir();
    QString path() const { return dir_.path(); }
    QString file(const QString& name) const { return dir_.filePath(name); }
    /// Writes `content` to `name` (creating sub-folders) and returns its absolute path.
    QString write(const QString& name, const QByteArray& content) const;

private:
    QTemporaryDir dir_;
};

/// A clock the test sets and moves: 2026-03-01 09:30 UTC unless told otherwise.
class FakeClock final : public tessera::Clock {
public:
    QDateTime now() const override { return time; }
    void advance(qint64 seconds) { time = time.addSecs(seconds); }
    QDateTime time = QDateTime(QDate(2026, 3, 1), QTime(9, 30), Qt::UTC);
};

/// A message as an English reader reads it (a tessera::text carries its template and values).
QString english(const QString& message);

/// The value of a Result that must succeed; throws with the error's code and message.
template <class T>
T must(tessera::Result<T> r) {
    if (!r) throw std::runtime_error((r.error().code + QStringLiteral(": ") + english(r.error().message)).toStdString());
    return std::move(r).value();
}

inline void must(const tessera::Status& s) {
    if (!s) throw std::runtime_error((s.error().code + QStringLiteral(": ") + english(s.error().message)).toStdString());
}

/// A scope of units listed one by one.
class ListedScope final : public tessera::Scope {
public:
    explicit ListedScope(QSet<qint64> ids) : ids_(std::move(ids)) {}
    bool all() const override { return false; }
    bool empty() const override { return ids_.isEmpty(); }
    QString condition(const QString& unitColumn, tessera::Params& params) const override {
        if (ids_.isEmpty()) return QStringLiteral("0 = 1");
        QStringList marks;
        for (const qint64 id : ids_) {
            params.push_back(id);
            marks << QStringLiteral("?%1").arg(params.size());
        }
        return unitColumn + QStringLiteral(" IN (") + marks.join(QStringLiteral(", ")) + QLatin1Char(')');
    }
    bool contains(qint64 unitId) const override { return ids_.contains(unitId); }
    QString conditionWithin(const QString&, qint64, tessera::Params&) const override {
        throw std::logic_error("ListedScope knows no tree");
    }

private:
    QSet<qint64> ids_;
};

}  // namespace tessera::test
