// hello.world: the smallest useful plugin. GET /api/v1/hello.world/greet/{name} answers with
// the configured greeting and counts how often each name was greeted.

#include <tessera/tessera.hpp>

#include <QJsonObject>

namespace {

tessera::Response greet(const tessera::Request& request, tessera::Context& ctx) {
    const QString name = request.param(QStringLiteral("name"));
    if (name.size() > 100) {
        return tessera::Response::invalid({{QStringLiteral("name"), QStringLiteral("at most 100 characters")}});
    }
    tessera::Database& db = ctx.database();
    tessera::Status saved = db.transaction([&]() -> tessera::Status {
        return db.execute(QStringLiteral("INSERT INTO hello_greetings(name) VALUES (?1)"), {name});
    });
    if (!saved) {
        ctx.log().error(saved.error().message);
        return tessera::Response::error(500, QStringLiteral("Storage error"), QStringLiteral("could not record the greeting"));
    }
    auto count = db.queryOne(QStringLiteral("SELECT count(*) AS n FROM hello_greetings WHERE name = ?1"), {name});
    return tessera::Response::json(QJsonObject{
        {QStringLiteral("message"), QStringLiteral("%1, %2!").arg(ctx.setting(QStringLiteral("greeting")).toString(), name)},
        {QStringLiteral("times"), count ? count->value(QStringLiteral("n")).toLongLong() : 0}});
}

class HelloModule final : public tessera::Module {
public:
    void declare(tessera::Declarations& d) override {
        d.route(tessera::Method::Get, QStringLiteral("greet/{name}"), greet, QStringLiteral("hello.world.read"));
    }
    tessera::Status start(tessera::Context& ctx) override {
        ctx.log().info(QStringLiteral("hello.world ready"));
        return {};
    }
};

}  // namespace

TESSERA_MODULE(HelloModule)
