#pragma once
// Compact JSON text of a response body, byte for byte what QJsonDocument::toJson(Compact)
// writes (json_writer_test.cpp holds it to that), at a fraction of its cost: Qt's writer
// escapes strings one UTF-16 unit at a time, which was the largest single cost of answering
// a small card.

#include <QByteArray>
#include <QJsonValue>

namespace tessera::host::http {

/// The compact JSON text of `value` (an object, an array or a scalar).
QByteArray compactJson(const QJsonValue& value);

}  // namespace tessera::host::http
