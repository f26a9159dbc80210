#pragma once
// Errors as values: every SDK call that can fail returns a Result or a Status.

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace tessera {

/// A failure: a machine-readable code (e.g. "db.constraint") and a message for people.
struct Error {
    QString code;
    QString message;
    QString field;  // the JSON field it is about, if any ("idNumber"): a 422 names it

    Error() = default;
    Error(QString errorCode, QString errorMessage, QString errorField = {})
        : code(std::move(errorCode)), message(std::move(errorMessage)), field(std::move(errorField)) {}
};

/// Either a value or an Error.
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &std::get<0>(v_); }
    const T* operator->() const { return &std::get<0>(v_); }
    T& operator*() & { return std::get<0>(v_); }
    const T& operator*() const& { return std::get<0>(v_); }
    const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

/// Success or an Error.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
    template <class T>
    Status(const Result<T>& r) {  // NOLINT(google-explicit-constructor)
        if (!r.ok()) error_ = r.error();
    }

    bool ok() const { return !error_.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *error_; }

private:
    std::optional<Error> error_;
};

}  // namespace tessera
