#pragma once
// A small blocking HTTP/1.1 client for tests against a real server on loopback.

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

#include <cstdint>
#include <memory>

namespace tessera::test {

struct HttpReply {
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray& name) const;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

/// Keeps one connection open (keep-alive) and reconnects when the server closed it.
class HttpClient {
public:
    explicit HttpClient(std::uint16_t port);
    ~HttpClient();
    HttpClient(HttpClient&&) noexcept;
    HttpClient& operator=(HttpClient&&) noexcept;
    HttpReply request(const QByteArray& method, const QByteArray& target, const QByteArray& body = {},
                      const QList<QPair<QByteArray, QByteArray>>& headers = {});
    HttpReply get(const QByteArray& target) { return request("GET", target); }
    /// A header sent with every request (e.g. Authorization), unless the request sets it.
    void setDefaultHeader(const QByteArray& name, const QByteArray& value);
    /// The Accept-Language sent with every request: "en" unless told otherwise; empty: none.
    void setLanguage(const QByteArray& acceptLanguage);
    /// Sends `json` with Content-Type application/json.
    HttpReply send(const QByteArray& method, const QByteArray& target, const QJsonObject& json,
                   QList<QPair<QByteArray, QByteArray>> headers = {});

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// The fields a problem answer names (422's errors), in order.
QStringList fieldsOf(const HttpReply& r);
/// The message of a problem answer's error on `field` ("" when it has none).
QString messageOf(const HttpReply& r, const QString& field);
/// The If-Match header of a request made on `version` of a record.
QList<QPair<QByteArray, QByteArray>> ifMatch(qint64 version);
/// Every sentence of a problem answer for people: its title, detail and field messages.
QStringList messagesOf(const HttpReply& r);
/// Two English words in a row: a sentence a Chinese reader was not meant to get. Codes,
/// field and parameter names, paths and header names (for scripts) stand alone.
bool hasEnglishSentence(const QString& s);

}  // namespace tessera::test
