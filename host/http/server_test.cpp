// The server against a real loopback socket: a test server on an ephemeral port, run() on
// its own thread, and a small client that can also send partial or broken requests.

#include "http/server.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <gtest/gtest.h>

#include <ostream>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <unistd.h>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

using namespace std::chrono_literals;
// Readable failure messages for QString (gtest finds this by argument-dependent lookup).
static void PrintTo(const QString& s, std::ostream* os) { *os << '"' << s.toStdString() << '"'; }

using tessera::Method;
using tessera::Request;
using tessera::Response;
using tessera::host::http::BoundHandler;
using tessera::host::http::Router;
using tessera::host::http::Server;
using tessera::host::http::ServerOptions;

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

void route(Router& router, Method method, const char* pattern, BoundHandler handler) {
    const auto status = router.add(method, QString::fromUtf8(pattern), std::move(handler));
    ASSERT_TRUE(status.ok()) << status.error().message.toStdString();
}

// A server with its routes, serving on its own thread until stopped.
class TestServer {
public:
    explicit TestServer(const std::function<void(Router&)>& routes, ServerOptions options = {}) {
        routes(router_);
        server_ = std::make_unique<Server>(std::move(options), router_);
        const auto status = server_->listen();
        if (!status.ok()) throw std::runtime_error(status.error().message.toStdString());
        thread_ = std::thread([this] { server_->run(); });
    }
    ~TestServer() { stop(0ms); }

    std::uint16_t port() const { return server_->port(); }
    Server& server() { return *server_; }
    void stop(std::chrono::milliseconds grace) {
        server_->stop(grace);
        if (thread_.joinable()) thread_.join();
    }

private:
    Router router_;
    std::unique_ptr<Server> server_;
    std::thread thread_;
};

struct Reply {
    bhttp::response<bhttp::string_body> message;

    int status() const { return static_cast<int>(message.result_int()); }
    std::string header(bhttp::field f) const { return std::string(message[f]); }
    std::string header(const char* name) const { return std::string(message[name]); }
    const std::string& body() const { return message.body(); }
    QJsonObject json() const { return QJsonDocument::fromJson(QByteArray::fromStdString(body())).object(); }
    QString detail() const { return json().value(QStringLiteral("detail")).toString(); }
};

// Raw HTTP/1.1 text for a request; a body comes with Content-Type and Content-Length.
std::string requestText(const std::string& method, const std::string& target, const std::string& body = {},
                        const std::string& extraHeaders = {}, const std::string& contentType = "application/json") {
    std::string text = method + " " + target + " HTTP/1.1\r\nHost: test\r\nAccept-Language: en\r\n";
    if (!body.empty())
        text += "Content-Type: " + contentType + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    return text + extraHeaders + "\r\n" + body;
}

// One connection. Every read has a deadline, so a misbehaving server fails a test
// instead of hanging it.
class Client {
public:
    explicit Client(std::uint16_t port) : stream_(ioc_) {
        stream_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    }

    void write(const std::string& raw) { asio::write(stream_.socket(), asio::buffer(raw)); }

    Reply read(std::chrono::milliseconds timeout = 5s) {
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(boost::none);
        beast::error_code ec;
        stream_.expires_after(timeout);
        bhttp::async_read(stream_, buffer_, parser, [&](beast::error_code e, std::size_t) { ec = e; });
        runToCompletion();
        if (ec) throw std::runtime_error("reading the reply failed: " + ec.message());
        return Reply{parser.release()};
    }

    Reply send(const std::string& raw) {
        write(raw);
        return read();
    }

    // True when the server closes the connection (end of stream or reset) within `timeout`;
    // whatever it still sends before is skipped.
    bool closedWithin(std::chrono::milliseconds timeout) {
        stream_.expires_after(timeout);
        beast::error_code ec;
        std::function<void()> readSome;
        char scratch[4096];
        readSome = [&] {
            stream_.async_read_some(asio::buffer(scratch), [&](beast::error_code e, std::size_t) {
                if (e) ec = e;
                else readSome();
            });
        };
        buffer_.clear();
        readSome();
        runToCompletion();
        return ec && ec != beast::error::timeout;
    }

private:
    void runToCompletion() {
        ioc_.restart();
        ioc_.run();
    }

    asio::io_context ioc_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
};

// The routes most tests share.
void commonRoutes(Router& r) {
    route(r, Method::Post, "/api/v1/t/echo", [](const Request& req) { return Response::created(req.body); });
    route(r, Method::Get, "/api/v1/t/ping", [](const Request&) {
        return Response::json(QJsonObject{{QStringLiteral("pong"), true}});
    });
    route(r, Method::Get, "/api/v1/t/items/{id}", [](const Request& req) {
        return Response::json(QJsonObject{{QStringLiteral("id"), req.param(QStringLiteral("id"))}});
    });
    route(r, Method::Delete, "/api/v1/t/items/{id}", [](const Request&) { return Response::noContent(); });
    route(r, Method::Get, "/api/v1/t/query", [](const Request& req) {
        QJsonObject o;
        for (auto it = req.query.begin(); it != req.query.end(); ++it) o.insert(it.key(), it.value());
        o.insert(QStringLiteral("x-custom header"), QString::fromUtf8(req.header("x-custom")));
        o.insert(QStringLiteral("body is undefined"), req.body.isUndefined());
        return Response::json(o);
    });
    route(r, Method::Get, "/api/v1/t/throws", [](const Request&) -> Response {
        throw std::runtime_error("secret database detail");
    });
}

}  // namespace

TEST(Server, ListensOnAnEphemeralPortWhenPortIsZero) {
    TestServer s(commonRoutes);
    EXPECT_NE(s.port(), 0);
}

TEST(Server, RoundTripsAJsonBodyAsCompactJson) {
    TestServer s(commonRoutes);
    Client c(s.port());
    const auto reply = c.send(requestText("POST", "/api/v1/t/echo", R"({ "name" : "张三", "tags" : [1, 2] })"));
    EXPECT_EQ(reply.status(), 201);
    EXPECT_EQ(reply.header(bhttp::field::content_type), "application/json; charset=utf-8");
    EXPECT_EQ(reply.header(bhttp::field::server), "tessera");
    EXPECT_FALSE(reply.header(bhttp::field::date).empty());
    EXPECT_EQ(reply.body(), R"({"name":"张三","tags":[1,2]})");
}

TEST(Server, AcceptsJsonWithCharsetAndPassesScalarBodiesThrough) {
    TestServer s(commonRoutes);
    Client c(s.port());
    EXPECT_EQ(c.send(requestText("POST", "/api/v1/t/echo", "42", {}, "Application/JSON; charset=utf-8")).body(), "42");
    EXPECT_EQ(c.send(requestText("POST", "/api/v1/t/echo", R"("text")")).body(), R"("text")");
}

TEST(Server, PassesPercentDecodedPathParameters) {
    TestServer s(commonRoutes);
    Client c(s.port());
    const auto reply = c.send(requestText("GET", "/api/v1/t/items/a%20b%E5%BC%A0"));
    EXPECT_EQ(reply.status(), 200);
    EXPECT_EQ(reply.json().value(QStringLiteral("id")).toString(), QString::fromUtf8("a b张"));
}

TEST(Server, DecodesQueryParametersAndLowerCasesHeaderNames) {
    TestServer s(commonRoutes);
    Client c(s.port());
    const auto reply =
        c.send(requestText("GET", "/api/v1/t/query?q=first&q=hello+world&city=%E5%8C%97%E4%BA%AC&plus=1%2B1&flag",
                           {}, "X-Custom: Yes\r\n"));
    ASSERT_EQ(reply.status(), 200);
    const auto o = reply.json();
    EXPECT_EQ(o.value(QStringLiteral("q")).toString(), QStringLiteral("hello world"));  // the last one wins
    EXPECT_EQ(o.value(QStringLiteral("city")).toString(), QString::fromUtf8("北京"));
    EXPECT_EQ(o.value(QStringLiteral("plus")).toString(), QStringLiteral("1+1"));
    EXPECT_EQ(o.value(QStringLiteral("flag")).toString(), QString());
    EXPECT_TRUE(o.contains(QStringLiteral("flag")));
    EXPECT_EQ(o.value(QStringLiteral("x-custom header")).toString(), QStringLiteral("Yes"));
    EXPECT_TRUE(o.value(QStringLiteral("body is undefined")).toBool());
}

TEST(Server, AnswersNoContentWithoutBodyOrContentLength) {
    TestServer s(commonRoutes);
    Client c(s.port());
    const auto reply = c.send(requestText("DELETE", "/api/v1/t/items/7"));
    EXPECT_EQ(reply.status(), 204);
    EXPECT_TRUE(reply.body().empty());
    EXPECT_EQ(reply.header(bhttp::field::content_length), "");
    EXPECT_EQ(reply.header(bhttp::field::content_type), "");
    // And the connection is still good for the next request.
    EXPECT_EQ(c.send(requestText("GET", "/api/v1/t/ping")).status(), 200);
}

TEST(Server, AnswersAnUnknownPathWith404Problem) {
    TestServer s(commonRoutes);
    Client c(s.port());
    const auto reply = c.send(requestText("GET", "/api/v1/x?a=1"));
    EXPECT_EQ(reply.status(), 404);
    EXPECT_EQ(reply.header(bhttp::field::content_type), "application/problem+json; charset=utf-8");
    EXPECT_EQ(reply.detail(), QStringLiteral("No route for GET /api/v1/x"));
    EXPECT_EQ(reply.json().value(QStringLiteral("status")).toInt(), 404);
}

TEST(Server, AnswersAWrongMethodWith405AndAnAllowHeader) {
    TestServer s(commonRoutes);
    Client c(s.port());
    const auto reply = c.send(requestText("PUT", "/api/v1/t/items/7", "{}"));
    EXPECT_EQ(reply.status(), 405);
    EXPECT_EQ(reply.header(bhttp::field::allow), "GET, DELETE");
    EXPECT_EQ(reply.detail(), QStringLiteral("Method PUT is not allowed on /api/v1/t/items/7 (allowed: GET, DELETE)"));
}

TEST(Server, AnswersHeadAndOptionsWith405AndUnknownVerbsWith501) {
    TestServer s(commonRoutes);
    Client c(s.port());
    const auto head = c.send(requestText("OPTIONS", "/api/v1/t/ping"));
    EXPECT_EQ(head.status(), 405);
    EXPECT_EQ(head.header(bhttp::field::allow), "GET");
    EXPECT_EQ(c.send(requestText("OPTIONS", "/api/v1/nothing")).status(), 404);
    const auto brew = c.send(requestText("BREW", "/api/v1/t/ping"));
    EXPECT_EQ(brew.status(), 501);
    EXPECT_EQ(brew.detail(), QStringLiteral("Method BREW is not implemented"));
}

TEST(Server, RefusesANonJsonBodyWith415) {
    TestServer s(commonRoutes);
    Client c(s.port());
    const auto reply = c.send(requestText("POST", "/api/v1/t/echo", "a=1", {}, "application/x-www-form-urlencoded"));
    EXPECT_EQ(reply.status(), 415);
    EXPECT_EQ(reply.detail(), QStringLiteral("Request body must be application/json, got 'application/x-www-form-urlencoded'"));
}

TEST(Server, ChecksTheRouteBeforeTheBody) {
    TestServer s(commonRoutes);
    Client c(s.port());
    EXPECT_EQ(c.send(requestText("POST", "/api/v1/nothing", "text", {}, "text/plain")).status(), 404);
}

TEST(Server, SaysItsOwnAnswersInTheLanguageTheRequestAsksFor) {
    TestServer s(commonRoutes);
    Client c(s.port());
    EXPECT_EQ(c.send("GET /api/v1/x HTTP/1.1\r\nHost: test\r\n\r\n").detail(), QStringLiteral("没有 GET /api/v1/x 这个接口"));
    EXPECT_EQ(c.send("GET /api/v1/x HTTP/1.1\r\nHost: test\r\nAccept-Language: zh-CN,en;q=0.5\r\n\r\n").json().value(QStringLiteral("title")),
              QStringLiteral("不存在"));
    EXPECT_EQ(c.send(requestText("GET", "/api/v1/x")).detail(), QStringLiteral("No route for GET /api/v1/x"));
    const auto json = c.send("POST /api/v1/t/echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 6\r\n\r\n{\"a\": ");
    EXPECT_EQ(json.detail(), QStringLiteral("请求内容不是合法的 JSON（第 6 个字节处）：有对象缺少结尾的 }")) << json.detail().toStdString();
}

TEST(Server, AnswersMalformedJsonWith400NamingTheOffset) {
    TestServer s(commonRoutes);
    Client c(s.port());
    const auto reply = c.send(requestText("POST", "/api/v1/t/echo", R"({"a": )"));
    EXPECT_EQ(reply.status(), 400);
    EXPECT_EQ(reply.header(bhttp::field::content_type), "application/problem+json; charset=utf-8");
    EXPECT_TRUE(reply.detail().startsWith(QStringLiteral("Malformed JSON body at offset 6: "))) << reply.detail().toStdString();
    // The body was read completely, so the connection stays usable.
    EXPECT_EQ(c.send(requestText("GET", "/api/v1/t/ping")).status(), 200);
}

TEST(Server, RefusesOversizeBodyWith413ByContentLengthAndKeepsServing) {
    ServerOptions options;
    options.maxBodyBytes = 1024;
    TestServer s(commonRoutes, options);
    {
        Client c(s.port());
        // Declares 10 MB and sends only a little: refused from the header alone.
        c.write("POST /api/v1/t/echo HTTP/1.1\r\nHost: test\r\nAccept-Language: en\r\nContent-Type: application/json\r\n"
                "Content-Length: 10000000\r\n\r\n{\"a\":");
        const auto reply = c.read();
        EXPECT_EQ(reply.status(), 413);
        EXPECT_EQ(reply.detail(), QStringLiteral("Request body of 10000000 bytes exceeds the limit of 1024 bytes"));
        EXPECT_TRUE(c.closedWithin(3s));
    }
    Client next(s.port());
    EXPECT_EQ(next.send(requestText("POST", "/api/v1/t/echo", std::string(R"({"a":")") + std::string(1000, 'x') + "\"}"))
                  .status(),
              201);
}

TEST(Server, RefusesOversizeChunkedBodyWith413) {
    ServerOptions options;
    options.maxBodyBytes = 16;
    TestServer s(commonRoutes, options);
    Client c(s.port());
    c.write("POST /api/v1/t/echo HTTP/1.1\r\nHost: test\r\nAccept-Language: en\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n10\r\n[1,2,3,4,5,6,7,8\r\n10\r\n,9,10,11,12,13]\r\n0\r\n\r\n");
    const auto reply = c.read();
    EXPECT_EQ(reply.status(), 413);
    EXPECT_EQ(reply.detail(), QStringLiteral("Request body exceeds the limit of 16 bytes"));
    EXPECT_TRUE(c.closedWithin(3s));
}

TEST(Server, AcceptsAChunkedBodyWithinTheLimit) {
    TestServer s(commonRoutes);
    Client c(s.port());
    const auto reply = c.send("POST /api/v1/t/echo HTTP/1.1\r\nHost: test\r\nAccept-Language: en\r\nContent-Type: application/json\r\n"
                              "Transfer-Encoding: chunked\r\n\r\n4\r\n[1,2\r\n2\r\n,3\r\n1\r\n]\r\n0\r\n\r\n");
    EXPECT_EQ(reply.status(), 201);
    EXPECT_EQ(reply.body(), "[1,2,3]");
}

TEST(Server, Sends100ContinueBeforeReadingAnExpectedBody) {
    TestServer s(commonRoutes);
    Client c(s.port());
    c.write("POST /api/v1/t/echo HTTP/1.1\r\nHost: test\r\nAccept-Language: en\r\nContent-Type: application/json\r\n"
            "Content-Length: 7\r\nExpect: 100-continue\r\n\r\n");
    EXPECT_EQ(c.read().status(), 100);
    c.write(R"({"a":1})");
    const auto reply = c.read();
    EXPECT_EQ(reply.status(), 201);
    EXPECT_EQ(reply.body(), R"({"a":1})");
}

TEST(Server, AnswersAHandlerExceptionWith500AndKeepsServing) {
    TestServer s(commonRoutes);
    Client c(s.port());
    const auto reply = c.send(requestText("GET", "/api/v1/t/throws"));
    EXPECT_EQ(reply.status(), 500);
    EXPECT_EQ(reply.header(bhttp::field::content_type), "application/problem+json; charset=utf-8");
    EXPECT_EQ(reply.detail(), QStringLiteral("Internal error"));
    EXPECT_EQ(reply.body().find("secret"), std::string::npos);  // the exception text stays in the log
    EXPECT_EQ(c.send(requestText("GET", "/api/v1/t/ping")).status(), 200);
}

TEST(Server, AnswersMalformedHttpWith400AndCloses) {
    TestServer s(commonRoutes);
    Client c(s.port());
    const auto reply = c.send("GET /api/v1/t/ping HTTP/1.1\r\nHost: test\r\nAccept-Language: en\r\nBad Header\r\n\r\n");
    EXPECT_EQ(reply.status(), 400);
    // A header that cannot be read names no language: the answer is in the default one.
    EXPECT_TRUE(reply.detail().startsWith(QStringLiteral("HTTP 请求格式有误："))) << reply.detail().toStdString();
    EXPECT_TRUE(c.closedWithin(3s));
}

TEST(Server, KeepsTheConnectionAliveBetweenRequests) {
    TestServer s(commonRoutes);
    Client c(s.port());
    const auto first = c.send(requestText("GET", "/api/v1/t/ping"));
    const auto second = c.send(requestText("GET", "/api/v1/t/items/2"));
    EXPECT_EQ(first.status(), 200);
    EXPECT_TRUE(first.message.keep_alive());
    EXPECT_EQ(second.status(), 200);
    EXPECT_EQ(second.json().value(QStringLiteral("id")).toString(), QStringLiteral("2"));
}

TEST(Server, AnswersPipelinedRequestsInOrder) {
    TestServer s(commonRoutes);
    Client c(s.port());
    c.write(requestText("GET", "/api/v1/t/items/1") + requestText("GET", "/api/v1/t/items/2"));
    EXPECT_EQ(c.read().json().value(QStringLiteral("id")).toString(), QStringLiteral("1"));
    EXPECT_EQ(c.read().json().value(QStringLiteral("id")).toString(), QStringLiteral("2"));
}

TEST(Server, HonoursConnectionClose) {
    TestServer s(commonRoutes);
    Client c(s.port());
    const auto reply = c.send(requestText("GET", "/api/v1/t/ping", {}, "Connection: close\r\n"));
    EXPECT_EQ(reply.status(), 200);
    EXPECT_FALSE(reply.message.keep_alive());
    EXPECT_TRUE(c.closedWithin(3s));
}

TEST(Server, ClosesAConnectionWhoseRequestDoesNotArriveWithinTheReadTimeout) {
    ServerOptions options;
    options.readTimeout = 200ms;
    TestServer s(commonRoutes, options);
    Client c(s.port());
    const auto start = Clock::now();
    c.write("GET /api/v1/t/ping HTTP/1.1\r\nHost: te");
    EXPECT_TRUE(c.closedWithin(3s));
    const auto elapsed = Clock::now() - start;
    EXPECT_GE(elapsed, 150ms);
    EXPECT_LT(elapsed, 2s);
}

TEST(Server, ClosesAnIdleKeepAliveConnectionAfterTheIdleTimeout) {
    ServerOptions options;
    options.idleTimeout = 200ms;
    TestServer s(commonRoutes, options);
    Client c(s.port());
    EXPECT_EQ(c.send(requestText("GET", "/api/v1/t/ping")).status(), 200);
    const auto start = Clock::now();
    EXPECT_TRUE(c.closedWithin(3s));
    EXPECT_LT(Clock::now() - start, 2s);
}

TEST(Server, GracefulStopLetsASlowRequestFinishAndClosesIdleConnections) {
    std::atomic<bool> started{false};
    TestServer s([&](Router& r) {
        route(r, Method::Get, "/slow", [&](const Request&) {
            started = true;
            std::this_thread::sleep_for(300ms);
            return Response::json(QJsonObject{{QStringLiteral("done"), true}});
        });
    });
    Client idle(s.port());
    Client busy(s.port());
    busy.write(requestText("GET", "/slow"));
    for (int i = 0; i < 200 && !started; ++i) std::this_thread::sleep_for(10ms);
    ASSERT_TRUE(started);

    const auto start = Clock::now();
    s.server().stop(5s);
    const auto reply = busy.read();
    EXPECT_EQ(reply.status(), 200);
    EXPECT_TRUE(reply.json().value(QStringLiteral("done")).toBool());
    EXPECT_FALSE(reply.message.keep_alive());  // the server is going away
    EXPECT_TRUE(idle.closedWithin(3s));
    s.stop(0ms);  // joins run()
    EXPECT_LT(Clock::now() - start, 3s);  // returned when the work was done, not after the grace
}

TEST(Server, AnswersAnImmediateRouteWhileEveryHandlerThreadIsBusy) {
    std::atomic<int> busy{0};
    std::atomic<bool> release{false};
    ServerOptions options;
    options.threads = 1;
    TestServer s(
        [&](Router& r) {
            route(r, Method::Get, "/slow", [&](const Request&) {
                ++busy;
                while (!release) std::this_thread::sleep_for(5ms);
                return Response::json(QJsonObject{{QStringLiteral("done"), true}});
            });
            ASSERT_TRUE(r.addImmediate(Method::Get, QStringLiteral("/health"), [](const Request&) {
                return Response::json(QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}});
            }));
        },
        options);
    // One slow request holds the only handler thread, three more wait behind it.
    std::vector<std::unique_ptr<Client>> slow;
    for (int i = 0; i < 4; ++i) {
        slow.push_back(std::make_unique<Client>(s.port()));
        slow.back()->write(requestText("GET", "/slow"));
    }
    for (int i = 0; i < 500 && busy == 0; ++i) std::this_thread::sleep_for(10ms);
    ASSERT_EQ(busy, 1);

    Client probe(s.port());
    const auto health = probe.send(requestText("GET", "/health"));  // read() fails a test after 5 s
    EXPECT_EQ(health.status(), 200);
    EXPECT_EQ(health.json().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    EXPECT_EQ(busy, 1) << "the slow handlers are still waiting";

    release = true;
    for (auto& c : slow) EXPECT_EQ(c->read().status(), 200);
}

TEST(Server, StopCutsWhatIsLeftAfterTheGracePeriod) {
    ServerOptions options;
    options.readTimeout = 30s;
    TestServer s(commonRoutes, options);
    Client c(s.port());
    c.write("GET /api/v1/t/ping HTTP/1.1\r\nHost: te");  // a request that never completes
    std::this_thread::sleep_for(50ms);
    const auto start = Clock::now();
    s.stop(200ms);
    const auto elapsed = Clock::now() - start;
    EXPECT_GE(elapsed, 150ms);
    EXPECT_LT(elapsed, 2s);
    EXPECT_TRUE(c.closedWithin(3s));
}

TEST(Server, FailsToListenOnAPortInUseNamingTheAddress) {
    TestServer first(commonRoutes);
    Router router;
    ServerOptions options;
    options.port = first.port();
    Server second(options, router);
    const auto status = second.listen();
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, QStringLiteral("http.listen"));
    EXPECT_TRUE(status.error().message.startsWith(QStringLiteral("Cannot listen on 127.0.0.1:%1: ").arg(first.port())))
        << status.error().message.toStdString();
    EXPECT_TRUE(status.error().message.contains(QStringLiteral("in use"))) << status.error().message.toStdString();
}

TEST(Server, SendsAFileBodyFromDiskAndKeepsTheConnection) {
    const std::string path = (std::filesystem::temp_directory_path() / ("tessera-file-body-" + std::to_string(::getpid()))).string();
    std::string content;
    for (int i = 0; i < 3 * 1024 * 1024; ++i) content += static_cast<char>('a' + i % 26);
    {
        std::FILE* f = std::fopen(path.c_str(), "wb");
        ASSERT_NE(f, nullptr);
        std::fwrite(content.data(), 1, content.size(), f);
        std::fclose(f);
    }
    TestServer s([&](Router& r) {
        route(r, Method::Get, "/api/v1/t/file", [&](const Request&) {
            return Response::fromFile(QString::fromStdString(path), "text/csv").withHeader("Content-Disposition", "attachment; filename=\"x.csv\"");
        });
        route(r, Method::Get, "/api/v1/t/missing", [](const Request&) { return Response::fromFile(QStringLiteral("/nonexistent/file"), "text/csv"); });
        route(r, Method::Get, "/api/v1/t/ping", [](const Request&) { return Response::json(QJsonObject{{QStringLiteral("ok"), true}}); });
    });
    Client c(s.port());
    const auto reply = c.send(requestText("GET", "/api/v1/t/file"));
    EXPECT_EQ(reply.status(), 200);
    EXPECT_EQ(std::string(reply.message[bhttp::field::content_type]), "text/csv");
    EXPECT_EQ(std::string(reply.message[bhttp::field::content_disposition]), "attachment; filename=\"x.csv\"");
    EXPECT_EQ(std::string(reply.message[bhttp::field::content_length]), std::to_string(content.size()));
    EXPECT_TRUE(reply.message.body() == content) << "the body is the file";
    EXPECT_TRUE(reply.message.keep_alive());
    EXPECT_EQ(c.send(requestText("GET", "/api/v1/t/ping")).status(), 200) << "the connection goes on after a file";
    const auto missing = c.send(requestText("GET", "/api/v1/t/missing"));
    EXPECT_EQ(missing.status(), 500);
    EXPECT_EQ(c.send(requestText("GET", "/api/v1/t/ping")).status(), 200);
    std::filesystem::remove(path);
}

// An answer is sent at once when the socket takes it; one larger than the socket's buffer
// goes on asynchronously, whole, while the client is slow to read.
TEST(Server, SendsAnAnswerTheSocketCannotTakeAtOnceWholeAndKeepsTheConnection) {
    std::string content;
    content.reserve(24 * 1024 * 1024);
    for (int i = 0; content.size() < 24 * 1024 * 1024; ++i) content += std::to_string(i) + ',';
    TestServer s([&](Router& r) {
        route(r, Method::Get, "/api/v1/t/big",
              [&](const Request&) { return Response::raw(QByteArray::fromStdString(content), "text/csv").withHeader("ETag", "\"v1\""); });
        route(r, Method::Get, "/api/v1/t/ping", [](const Request&) { return Response::json(QJsonObject{{QStringLiteral("ok"), true}}); });
    });
    Client c(s.port());
    c.write(requestText("GET", "/api/v1/t/big"));
    std::this_thread::sleep_for(200ms);  // the server's first send fills the socket and waits
    const auto reply = c.read();
    EXPECT_EQ(reply.status(), 200);
    EXPECT_EQ(reply.header(bhttp::field::content_type), "text/csv");
    EXPECT_EQ(reply.header(bhttp::field::etag), "\"v1\"");
    EXPECT_EQ(reply.header(bhttp::field::content_length), std::to_string(content.size()));
    EXPECT_TRUE(reply.body() == content) << "the whole body, in order";
    EXPECT_TRUE(reply.message.keep_alive());
    const auto small = c.send(requestText("GET", "/api/v1/t/ping"));
    EXPECT_EQ(small.status(), 200) << "the connection goes on";
    EXPECT_EQ(small.header(bhttp::field::server), "tessera");
    EXPECT_FALSE(small.header(bhttp::field::date).empty());
    EXPECT_EQ(small.body(), "{\"ok\":true}");
}

TEST(Server, AnswersHttp10InKindAndClosesUnlessAskedToKeepAlive) {
    TestServer s(commonRoutes);
    {
        Client c(s.port());
        const auto reply = c.send("GET /api/v1/t/ping HTTP/1.0\r\nHost: test\r\nConnection: keep-alive\r\n\r\n");
        EXPECT_EQ(reply.status(), 200);
        EXPECT_EQ(reply.message.version(), 10);
        EXPECT_EQ(reply.header(bhttp::field::connection), "keep-alive");
        EXPECT_EQ(c.send("GET /api/v1/t/items/3 HTTP/1.0\r\nHost: test\r\n\r\n").json().value(QStringLiteral("id")).toString(),
                  QStringLiteral("3"));
        EXPECT_TRUE(c.closedWithin(2s)) << "no keep-alive asked: closed after the answer";
    }
}
