#include "customer.hpp"

#include <QRegularExpression>
#include <QSet>

namespace biz::customers {

bool isPlausiblePhone(const QString& phone) {
    static const QRegularExpression shape(
        QStringLiteral("^\\+?[0-9()\\- ]{3,30}((ext|x|转)\\s*[0-9]{1,6})?$"), QRegularExpression::CaseInsensitiveOption);
    int digits = 0;
    for (QChar c : phone) digits += c.isDigit() ? 1 : 0;
    return digits >= 3 && shape.match(phone.trimmed()).hasMatch();
}

QList<tessera::FieldError> readCustomer(const QJsonValue& body, CustomerInput& out) {
    QList<tessera::FieldError> errors;
    if (!body.isObject()) {
        errors.append({QStringLiteral("(body)"), QStringLiteral("expected a JSON object with the customer's fields")});
        return errors;
    }
    const QJsonObject o = body.toObject();
    static const QSet<QString> known{QStringLiteral("name"),    QStringLiteral("contact"), QStringLiteral("phone"),
                                     QStringLiteral("address"), QStringLiteral("notes"),   QStringLiteral("version"),
                                     QStringLiteral("unitId")};
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key())) errors.append({it.key(), QStringLiteral("unknown field")});
    }
    auto text = [&](const QString& field, QString& target, int maxLength, bool required) {
        const QJsonValue v = o.value(field);
        if (v.isUndefined() || v.isNull()) {
            if (required) errors.append({field, QStringLiteral("is required")});
            target.clear();
            return;
        }
        if (!v.isString()) {
            errors.append({field, QStringLiteral("must be a string")});
            return;
        }
        target = v.toString().trimmed();
        if (required && target.isEmpty()) errors.append({field, QStringLiteral("must not be empty")});
        if (target.size() > maxLength)
            errors.append({field, QStringLiteral("is %1 characters long; at most %2 are allowed").arg(target.size()).arg(maxLength)});
    };
    text(QStringLiteral("name"), out.name, kMaxNameLength, true);
    text(QStringLiteral("contact"), out.contact, kMaxShortTextLength, false);
    text(QStringLiteral("phone"), out.phone, kMaxShortTextLength, false);
    text(QStringLiteral("address"), out.address, kMaxShortTextLength, false);
    text(QStringLiteral("notes"), out.notes, kMaxNotesLength, false);
    if (const QJsonValue unit = o.value(QStringLiteral("unitId")); !unit.isUndefined() && !unit.isNull()) {
        if (!unit.isDouble() || unit.toDouble() < 1 || unit.toDouble() != double(unit.toInteger()))
            errors.append({QStringLiteral("unitId"), QStringLiteral("must be a unit id")});
        else
            out.unitId = unit.toInteger();
    }
    if (!out.phone.isEmpty() && !isPlausiblePhone(out.phone))
        errors.append({QStringLiteral("phone"), QStringLiteral("'%1' is not a phone number").arg(out.phone)});
    return errors;
}

}  // namespace biz::customers
