#include "http_client.hpp"

#include <QJsonArray>
#include <QRegularExpression>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <optional>

namespace tessera::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

QByteArray HttpReply::header(const QByteArray& name) const {
    for (const auto& [k, v] : headers)
        if (k.compare(name, Qt::CaseInsensitive) == 0) return v;
    return {};
}

struct HttpClient::Impl {
    std::uint16_t port;
    asio::io_context ioc;
    std::optional<beast::tcp_stream> stream;
    beast::flat_buffer buffer;
    QList<QPair<QByteArray, QByteArray>> defaults;

    void connect() {
        stream.emplace(ioc);
        stream->connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
        buffer.clear();
    }

    HttpReply roundTrip(const bhttp::request<bhttp::string_body>& req) {
        bhttp::write(*stream, req);
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        bhttp::read(*stream, buffer, parser);
        auto res = parser.release();
        HttpReply reply;
        reply.status = static_cast<int>(res.result_int());
        for (const auto& f : res)
            reply.headers.append({QByteArray(f.name_string().data(), static_cast<int>(f.name_string().size())),
                                  QByteArray(f.value().data(), static_cast<int>(f.value().size()))});
        reply.body = QByteArray::fromStdString(res.body());
        if (!res.keep_alive()) stream.reset();
        return reply;
    }
};

// Tests read the server's English; the Chinese of the catalogues is tested on its own
// (messages_test.cpp) by asking for it.
HttpClient::HttpClient(std::uint16_t port) : impl_(std::make_unique<Impl>()) {
    impl_->port = port;
    impl_->defaults.append({QByteArray("Accept-Language"), QByteArray("en")});
}

void HttpClient::setDefaultHeader(const QByteArray& name, const QByteArray& value) { impl_->defaults.append({name, value}); }

void HttpClient::setLanguage(const QByteArray& acceptLanguage) {
    impl_->defaults.removeIf([](const QPair<QByteArray, QByteArray>& h) { return h.first.compare("Accept-Language", Qt::CaseInsensitive) == 0; });
    if (!acceptLanguage.isEmpty()) impl_->defaults.append({QByteArray("Accept-Language"), acceptLanguage});
}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

HttpReply HttpClient::request(const QByteArray& method, const QByteArray& target, const QByteArray& body,
                              const QList<QPair<QByteArray, QByteArray>>& headers) {
    bhttp::request<bhttp::string_body> req;
    req.method_string(beast::string_view(method.constData(), static_cast<std::size_t>(method.size())));
    req.target(beast::string_view(target.constData(), static_cast<std::size_t>(target.size())));
    req.version(11);
    req.set(bhttp::field::host, "127.0.0.1");
    for (const auto& [k, v] : impl_->defaults)
        req.set(beast::string_view(k.constData(), static_cast<std::size_t>(k.size())),
                beast::string_view(v.constData(), static_cast<std::size_t>(v.size())));
    for (const auto& [k, v] : headers)
        req.set(beast::string_view(k.constData(), static_cast<std::size_t>(k.size())),
                beast::string_view(v.constData(), static_cast<std::size_t>(v.size())));
    if (!body.isEmpty() || method == "POST" || method == "PUT" || method == "PATCH") {
        req.body() = body.toStdString();
        req.prepare_payload();
    }
    // One retry on a fresh connection: the server may have closed an idle keep-alive one.
    for (int attempt = 0;; ++attempt) {
        try {
            if (!impl_->stream) impl_->connect();
            return impl_->roundTrip(req);
        } catch (const boost::system::system_error&) {
            impl_->stream.reset();
            if (attempt > 0) throw;
        }
    }
}

HttpReply HttpClient::send(const QByteArray& method, const QByteArray& target, const QJsonObject& json,
                           QList<QPair<QByteArray, QByteArray>> headers) {
    headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    return request(method, target, QJsonDocument(json).toJson(QJsonDocument::Compact), headers);
}

QStringList fieldsOf(const HttpReply& r) {
    QStringList fields;
    for (const auto& e : r.json().value(QStringLiteral("errors")).toArray())
        fields << e.toObject().value(QStringLiteral("field")).toString();
    return fields;
}

QString messageOf(const HttpReply& r, const QString& field) {
    for (const auto& e : r.json().value(QStringLiteral("errors")).toArray())
        if (e.toObject().value(QStringLiteral("field")).toString() == field)
            return e.toObject().value(QStringLiteral("message")).toString();
    return {};
}

QList<QPair<QByteArray, QByteArray>> ifMatch(qint64 version) { return {{"If-Match", '"' + QByteArray::number(version) + '"'}}; }

QStringList messagesOf(const HttpReply& r) {
    QStringList out{r.json().value(QStringLiteral("title")).toString(), r.json().value(QStringLiteral("detail")).toString()};
    for (const auto& e : r.json().value(QStringLiteral("errors")).toArray()) out << e.toObject().value(QStringLiteral("message")).toString();
    return out;
}

bool hasEnglishSentence(const QString& s) {
    static const QRegularExpression words(QStringLiteral("[A-Za-z]{2,} +[A-Za-z]{2,}"));
    return words.match(s).hasMatch();
}

}  // namespace tessera::test
