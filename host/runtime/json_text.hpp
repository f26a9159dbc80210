#pragma once
// Compact JSON text, byte for byte what QJsonDocument::toJson(Compact) writes
// (json_text_test.cpp holds it to that), at a fraction of its cost: Qt's writer escapes
// strings one UTF-16 unit at a time, which was the largest single cost of answering a small
// card. JsonText writes without building a QJsonObject first, which costs more than the
// writing (an insert per key, each value converted to CBOR): for the record engine's answers.

#include <QByteArray>
#include <QJsonValue>
#include <QStringView>

#include <algorithm>
#include <cstring>
#include <vector>

namespace tessera::host {

// The text being written: a QByteArray grown by hand and written through a pointer, since
// QByteArray's own append and resize check the array's sharing on every call.
class JsonBytes {
public:
    JsonBytes() { bytes_.resize(1024); }
    /// Room for `n` more bytes, at the end of what is written.
    char* room(qsizetype n) {
        if (used_ + n > bytes_.size()) bytes_.resize(std::max(2 * bytes_.size(), used_ + n));
        return bytes_.data() + used_;
    }
    /// What room() gave is written up to `end`.
    void wrote(const char* end) { used_ = end - bytes_.constData(); }
    void put(char c) {
        *room(1) = c;
        ++used_;
    }
    void put(const char* text, qsizetype n) {
        std::memcpy(room(n), text, static_cast<std::size_t>(n));
        used_ += n;
    }
    void put(const QByteArray& text) { put(text.constData(), text.size()); }
    qsizetype size() const { return used_; }
    /// Forgets what was written after the first `n` bytes.
    void truncate(qsizetype n) { used_ = std::min(used_, n); }
    QByteArray take() {
        bytes_.resize(used_);
        used_ = 0;
        return std::move(bytes_);
    }

private:
    QByteArray bytes_;
    qsizetype used_ = 0;
};

/// The compact JSON text of `value` (an object, an array or a scalar).
QByteArray compactJson(const QJsonValue& value);

/// JSON text written as it goes: objects and arrays opened and closed in order, a key before
/// each value inside an object. The commas are its own business. Keys come out in the order
/// they are written (not sorted, as QJsonObject's are).
class JsonText {
public:
    JsonText();

    void beginObject();
    void endObject();
    void beginArray();
    void endArray();
    /// The next value's key, inside an object.
    void key(QStringView name);

    void string(QStringView s);
    void integer(qint64 n);
    void boolean(bool b);
    void null();
    /// Any value, as compactJson() writes it (arrays of attachments, sub-forms).
    void value(const QJsonValue& v);

    /// The text written; the writer is empty afterwards.
    QByteArray take();

private:
    void beforeValue();

    JsonBytes out_;
    std::vector<bool> first_;  // per open object or array: no value in it yet
    bool keyed_ = false;       // a key was just written: its value needs no comma
};

}  // namespace tessera::host
