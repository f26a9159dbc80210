#pragma once
// A customer record and the rules a valid one follows.

#include <tessera/http.hpp>

#include <QJsonObject>
#include <QList>
#include <QString>

namespace biz::customers {

/// The fields a client writes (create and full update).
struct CustomerInput {
    qint64 unitId = 0;  // 0: not given
    QString name;
    QString contact;
    QString phone;
    QString address;
    QString notes;
};

inline constexpr int kMaxNameLength = 200;
inline constexpr int kMaxShortTextLength = 200;
inline constexpr int kMaxNotesLength = 4000;

/// Reads a customer from a JSON body: every bad field is reported, unknown fields included
/// (a typo must not be dropped silently). `version` is allowed and ignored here.
QList<tessera::FieldError> readCustomer(const QJsonValue& body, CustomerInput& out);

/// A phone number as people write it: digits with optional +, spaces, dashes, parentheses
/// and an extension ("010-6512 3456", "+86 138 0013 8000", "(0755) 8888-6666 ext 12").
bool isPlausiblePhone(const QString& phone);

}  // namespace biz::customers
