#pragma once
// The values a write of the record engine stores, column by column (services/records.hpp).

#include <QHash>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>
#include <utility>
#include <vector>

namespace tessera::host {

/// The columns a card writes, each with its slot in a ColumnValues: the card builds it once.
class ColumnSlots {
public:
    /// Adds `column` (once) and returns its slot.
    qsizetype add(const QString& column) {
        if (const auto it = slotOf_.constFind(column); it != slotOf_.constEnd()) return *it;
        columns_ << column;
        return slotOf_.insert(column, columns_.size() - 1).value();
    }
    /// The slot of `column`, or -1 when the card does not write it.
    qsizetype slot(const QString& column) const { return slotOf_.value(column, -1); }
    const QString& column(qsizetype slot) const { return columns_[slot]; }
    qsizetype size() const { return columns_.size(); }

private:
    QStringList columns_;
    QHash<QString, qsizetype> slotOf_;
};

/// Column -> value to store, for one record: a slot per column of the card (found by a hash of
/// the name, where a QMap compared names a few times per column and allocated a node each),
/// then any other column in the order given. A value may be null (stored as NULL); a column
/// without a value is not written.
class ColumnValues {
public:
    ColumnValues() = default;
    explicit ColumnValues(const ColumnSlots& slots) : slots_(&slots), values_(static_cast<std::size_t>(slots.size())) {}

    void insert(const QString& column, QVariant value) {
        if (const qsizetype s = slot(column); s >= 0) {
            values_[static_cast<std::size_t>(s)] = std::move(value);
            return;
        }
        for (auto& [c, v] : extra_)
            if (c == column) {
                v = std::move(value);
                return;
            }
        extra_.emplace_back(column, std::move(value));
    }
    /// The same by the column's slot (ColumnSlots::add), for a card's own loops over its fields.
    void set(qsizetype slot, QVariant value) { values_[static_cast<std::size_t>(slot)] = std::move(value); }
    const QVariant* at(qsizetype slot) const {
        const auto& v = values_[static_cast<std::size_t>(slot)];
        return v ? &*v : nullptr;
    }
    /// The value of `column`, or nullptr when it has none.
    const QVariant* find(const QString& column) const {
        if (const qsizetype s = slot(column); s >= 0) {
            const auto& v = values_[static_cast<std::size_t>(s)];
            return v ? &*v : nullptr;
        }
        for (const auto& [c, v] : extra_)
            if (c == column) return &v;
        return nullptr;
    }
    bool contains(const QString& column) const { return find(column) != nullptr; }
    QVariant value(const QString& column, const QVariant& otherwise = {}) const {
        const QVariant* v = find(column);
        return v ? *v : otherwise;
    }
    /// The value of `column`, which then has none.
    QVariant take(const QString& column) {
        QVariant out = value(column);
        remove(column);
        return out;
    }
    void remove(const QString& column) {
        if (const qsizetype s = slot(column); s >= 0) values_[static_cast<std::size_t>(s)].reset();
        std::erase_if(extra_, [&](const auto& e) { return e.first == column; });
    }
    /// `f(column, value)` for each column with a value: the card's in its order, then the others.
    template <class F>
    void forEach(F&& f) const {
        for (std::size_t s = 0; s < values_.size(); ++s)
            if (values_[s]) f(slots_->column(static_cast<qsizetype>(s)), *values_[s]);
        for (const auto& [c, v] : extra_) f(c, v);
    }
    QStringList keys() const {
        QStringList out;
        forEach([&](const QString& c, const QVariant&) { out << c; });
        return out;
    }
    qsizetype size() const {
        qsizetype n = static_cast<qsizetype>(extra_.size());
        for (const auto& v : values_) n += v ? 1 : 0;
        return n;
    }

private:
    qsizetype slot(const QString& column) const { return slots_ ? slots_->slot(column) : -1; }

    const ColumnSlots* slots_ = nullptr;
    std::vector<std::optional<QVariant>> values_;
    std::vector<std::pair<QString, QVariant>> extra_;
};

}  // namespace tessera::host
