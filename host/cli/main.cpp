// tessera: the command line. Exit codes scripts can rely on:
//   0 success; 1 the command ran and found a problem (invalid config, a plugin not running,
//   a failed migration, unknown plugin); 2 usage error; 3 cannot start (config unreadable,
//   database cannot be opened, address in use).

#include "app/host_app.hpp"
#include "app/host_route.hpp"
#include "runtime/messages.hpp"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include "store/audit_actor.hpp"

#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <limits>
#include <string>
#include <map>
#include <optional>

using namespace tessera::host;

namespace {

enum Exit { kOk = 0, kProblem = 1, kUsage = 2, kCannotStart = 3 };

// The command line speaks English, as the log does: messages for people (tessera::text) in it
// are said in English.
void out(const QString& text) {
    const QByteArray b = messages().render(text, Language::En).toUtf8();
    std::fwrite(b.constData(), 1, static_cast<std::size_t>(b.size()), stdout);
}
void err(const QString& text) {
    const QByteArray b = messages().render(text, Language::En).toUtf8();
    std::fwrite(b.constData(), 1, static_cast<std::size_t>(b.size()), stderr);
}

const char* const kMainHelp = R"(Usage: tessera <command> [options]

Commands:
  serve --config FILE [--port N]     run a deployment until SIGINT/SIGTERM
  plugins list --config FILE [--json]
                                     every plugin found, its state and reason
  plugins info ID --config FILE [--json]
                                     one plugin's manifest, state and reason
  config check FILE                  validate a deployment and its plugins
  migrate --config FILE [--dry-run]  apply (or list) pending plugin migrations
  user add|passwd|grant|revoke|list|token ... --config FILE
                                     manage users, their roles and API tokens
  role add|list ... --config FILE    define roles (sets of permissions) for user grant
  demo --config FILE [--organisations N] [--people N] [--depth D] [--seed S]
                                     fill an empty deployment with sample data

Options: --help (also after a command), --version
Exit codes: 0 ok, 1 problem found, 2 usage error, 3 cannot start.
)";

const std::map<QString, const char*> kCommandHelp = {
    {QStringLiteral("demo"), R"(Usage: tessera demo --config FILE [--organisations N] [--people N] [--depth D] [--seed S]

Fills the deployment's database with realistic sample data: every enabled plugin that has a
sample data generator makes its part under the root unit, each in one transaction (audited as
one bulk entry). party.daily builds an organisation tree D levels deep (default 5, like a
province) with N organisations in all (default 50) and spreads N people (default 1000) as
members over its branches. The same seed (default 1) gives the same data. A plugin that
already has data refuses (nothing of it is changed).
Exit: 0 done, 1 a generator refused or failed (its data rolled back), 2 usage, 3 config or
database unusable.
)"},
    {QStringLiteral("serve"), R"(Usage: tessera serve --config FILE [--port N] [--quiet]

Starts every enabled plugin of the deployment in FILE and serves its HTTP API until SIGINT or
SIGTERM, then stops the plugins in reverse order. --port overrides the config's port (0 picks a
free one). Plugins that fail are reported and skipped; the rest keep running.
Exit: 0 after a clean shutdown, 3 if the config, database or address cannot be used.
)"},
    {QStringLiteral("plugins list"), R"(Usage: tessera plugins list --config FILE [--json]

Lists every plugin in the deployment's plugin folders and every enabled one: id, version,
state (disabled, resolved, failed, skipped) and the reason when it would not run. Libraries are
loaded to check their entry point and API version; nothing is migrated or started. The running
server's own view is GET /api/v1/plugins.
Exit: 0 if every enabled plugin would run, 1 if one would not, 3 if the config is unusable.
)"},
    {QStringLiteral("plugins info"), R"(Usage: tessera plugins info ID --config FILE [--json]

Shows one plugin: manifest (names, version, dependencies, features, permissions, menu), state
and reason. Exit: 0 found, 1 no such plugin, 3 config unusable.
)"},
    {QStringLiteral("config check"), R"(Usage: tessera config check FILE

Validates the deployment FILE and every manifest it reaches: XML, schema, dependencies, versions,
SDK API, feature and setting overrides, libraries. Prints every problem with file and line.
Creates nothing. Exit: 0 valid, 1 problems found, 3 the file cannot be read.
)"},
    {QStringLiteral("migrate"), R"(Usage: tessera migrate --config FILE [--dry-run]

Applies the pending SQL migrations of every enabled plugin that resolves, each file in its own
transaction. --dry-run lists them and changes nothing.
Exit: 0 done, 1 a migration failed (it was rolled back), 3 config or database unusable.
)"},
    {QStringLiteral("user"), R"(Usage: tessera user <subcommand> ... --config FILE

  user add NAME [--display-name TEXT] [--unit ID] [--admin] [--password-stdin]
      create a user; --admin grants the built-in admin role on all units
  user passwd NAME [--password-stdin]       set a new password (ends the user's sessions)
  user grant NAME ROLE --scope unit|subtree|all [--unit ID]
      assign ROLE on unit ID (this unit only, or this unit and below) or on all units
  user revoke NAME ROLE [--scope S] [--unit ID]
      remove the user's assignments of ROLE (only those matching --scope/--unit if given)
  user list                                 users with their assignments
  user token NAME --label TEXT              create an API token for scripts; printed once

Passwords are read from the first line of standard input with --password-stdin, otherwise
asked for on the terminal (twice, not echoed). At least 8 characters.
Exit: 0 done, 1 refused (the message says why), 2 usage error, 3 config or database unusable.
)"},
    {QStringLiteral("role"), R"(Usage: tessera role <subcommand> ... --config FILE

  role add NAME --permissions ID,ID,... [--label TEXT]
      define a role: the permissions (of the host and the deployment's enabled plugins, as
      tessera plugins info lists them) its holders have where it is granted (user grant)
  role list                                 roles with their permissions

A deployment's script sets up its duties with these before serving (a technician's role,
then user add and user grant); the administrators manage roles in the browser afterwards.
Exit: 0 done, 1 refused (the message says why), 2 usage error, 3 config or database unusable.
)"},
};

struct Args {
    QStringList positional;
    std::map<QString, QString> options;  // --name value, or --flag ""
    std::optional<QString> error;

    bool has(const QString& name) const { return options.count(name) > 0; }
    QString value(const QString& name) const {
        auto it = options.find(name);
        return it == options.end() ? QString() : it->second;
    }
};

// Options that take a value; everything else starting with -- is a flag.
Args parse(const QStringList& words, const QStringList& valued, const QStringList& flags) {
    Args a;
    for (int i = 0; i < words.size(); ++i) {
        const QString& w = words[i];
        if (!w.startsWith(QStringLiteral("--"))) {
            a.positional << w;
            continue;
        }
        QString name = w.mid(2), value;
        const bool inlineValue = name.contains(QLatin1Char('='));
        if (inlineValue) {
            value = name.section(QLatin1Char('='), 1);
            name = name.section(QLatin1Char('='), 0, 0);
        }
        if (valued.contains(name)) {
            if (!inlineValue) {
                if (i + 1 >= words.size()) {
                    a.error = QStringLiteral("--%1 needs a value").arg(name);
                    return a;
                }
                value = words[++i];
            }
            a.options[name] = value;
        } else if (flags.contains(name) || name == QStringLiteral("help")) {
            a.options[name] = QString();
        } else {
            a.error = QStringLiteral("unknown option --%1").arg(name);
            return a;
        }
    }
    return a;
}

int usage(const QString& command, const QString& problem) {
    err(QStringLiteral("tessera %1: %2\n\n%3").arg(command, problem, QString::fromUtf8(kCommandHelp.at(command))));
    return kUsage;
}

std::unique_ptr<HostApp> openApp(const QString& config, Log& log, HostApp::Database db, int& exitCode) {
    auto app = HostApp::open(config, log, db);
    if (!app) {
        err(app.error().message + QLatin1Char('\n'));
        exitCode = app.error().code == QStringLiteral("config.invalid") ? kProblem : kCannotStart;
        if (!QFileInfo::exists(config)) exitCode = kCannotStart;
        return nullptr;
    }
    return std::move(app).value();
}

// The deployment of `config` with its core schema ready and its plugins resolved (not started):
// what the user and role commands change. Null, with `exitCode` set, when it cannot be opened.
std::unique_ptr<HostApp> openAccounts(const QString& config, Log& log, int& exitCode) {
    auto app = openApp(config, log, HostApp::Database::Open, exitCode);
    if (!app) {
        if (exitCode == kProblem) exitCode = kCannotStart;
        return nullptr;
    }
    app->runtime().resolve();
    if (!app->prepareCore()) {
        exitCode = kCannotStart;
        return nullptr;
    }
    return app;
}

bool allEnabledRun(const Runtime& rt) {
    for (const auto& s : rt.plugins())
        if (s.enabled && (s.state == PluginState::Failed || s.state == PluginState::Skipped)) return false;
    return true;
}

QString table(const Runtime& rt) {
    QString text = QStringLiteral("%1 %2 %3 %4\n").arg(QStringLiteral("ID"), -24).arg(QStringLiteral("VERSION"), -10)
                       .arg(QStringLiteral("STATE"), -10).arg(QStringLiteral("REASON"));
    std::vector<const PluginSpec*> sorted;
    for (const auto& s : rt.plugins()) sorted.push_back(&s);
    std::stable_sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->id < b->id; });
    for (const PluginSpec* p : sorted) {
        const PluginSpec& s = *p;
        text += QStringLiteral("%1 %2 %3 %4\n")
                    .arg(s.id, -24)
                    .arg(s.manifest ? s.manifest->version.toString() : QStringLiteral("-"), -10)
                    .arg(stateName(s.state), -10)
                    .arg(QString(s.reason).replace(QLatin1Char('\n'), QStringLiteral("\n    ")));
    }
    return text;
}

int serve(const QStringList& words) {
    Args a = parse(words, {QStringLiteral("config"), QStringLiteral("port")}, {QStringLiteral("quiet")});
    if (a.has(QStringLiteral("help"))) return out(QString::fromUtf8(kCommandHelp.at(QStringLiteral("serve")))), kOk;
    if (a.error) return usage(QStringLiteral("serve"), *a.error);
    if (!a.has(QStringLiteral("config"))) return usage(QStringLiteral("serve"), QStringLiteral("--config FILE is required"));
    int port = -1;
    if (a.has(QStringLiteral("port"))) {
        bool ok = false;
        port = a.value(QStringLiteral("port")).toInt(&ok);
        if (!ok || port < 0 || port > 65535) return usage(QStringLiteral("serve"), QStringLiteral("--port must be 0-65535"));
    }
    Log log;
    if (a.has(QStringLiteral("quiet"))) log.setThreshold(LogLevel::Warning);
    int code = kOk;
    auto app = openApp(a.value(QStringLiteral("config")), log, HostApp::Database::Open, code);
    if (!app) return code == kProblem ? kCannotStart : code;
    app->startPlugins();
    if (auto s = app->listen(port); !s) {
        err(s.error().message + QLatin1Char('\n'));
        return kCannotStart;
    }
    // Scripts read the port from this line when they pass --port 0.
    out(QStringLiteral("listening on http://%1:%2/\n").arg(app->deployment().listenAddress).arg(app->port()));
    std::fflush(stdout);
    app->serve();
    return kOk;
}

int plugins(const QStringList& words) {
    const QString sub = words.value(0);
    if (sub == QStringLiteral("--help") || sub.isEmpty()) {
        out(QString::fromUtf8(kCommandHelp.at(QStringLiteral("plugins list"))) + QLatin1Char('\n') +
            QString::fromUtf8(kCommandHelp.at(QStringLiteral("plugins info"))));
        return sub.isEmpty() ? kUsage : kOk;
    }
    const QString command = QStringLiteral("plugins ") + sub;
    if (!kCommandHelp.count(command)) {
        err(QStringLiteral("tessera plugins: unknown subcommand '%1' (list, info)\n").arg(sub));
        return kUsage;
    }
    Args a = parse(words.mid(1), {QStringLiteral("config")}, {QStringLiteral("json")});
    if (a.has(QStringLiteral("help"))) return out(QString::fromUtf8(kCommandHelp.at(command))), kOk;
    if (a.error) return usage(command, *a.error);
    if (!a.has(QStringLiteral("config"))) return usage(command, QStringLiteral("--config FILE is required"));
    if (sub == QStringLiteral("info") && a.positional.size() != 1) return usage(command, QStringLiteral("give exactly one plugin ID"));
    if (sub == QStringLiteral("list") && !a.positional.isEmpty()) return usage(command, QStringLiteral("unexpected argument '%1'").arg(a.positional.front()));

    Log log(QStringLiteral("host"), LogLevel::Quiet);
    int code = kOk;
    auto app = openApp(a.value(QStringLiteral("config")), log, HostApp::Database::None, code);
    if (!app) return code == kProblem ? kCannotStart : code;
    app->runtime().inspect();
    const bool json = a.has(QStringLiteral("json"));
    if (sub == QStringLiteral("list")) {
        if (json) {
            QJsonArray list;
            for (const auto& s : app->runtime().plugins()) list.append(describePlugin(s, &app->deployment()));
            out(QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("items"), list}}).toJson()));
        } else {
            out(table(app->runtime()));
        }
        return allEnabledRun(app->runtime()) ? kOk : kProblem;
    }
    const PluginSpec* spec = app->runtime().plugin(a.positional.front());
    if (!spec) {
        err(QStringLiteral("no plugin '%1' in the plugin folders of %2\n").arg(a.positional.front(), app->deployment().file));
        return kProblem;
    }
    const QJsonObject d = describePlugin(*spec, &app->deployment());
    if (json) {
        out(QString::fromUtf8(QJsonDocument(d).toJson()));
    } else {
        for (auto it = d.begin(); it != d.end(); ++it) {
            const QJsonValue v = it.value();
            const QString text = v.isString() ? v.toString()
                                 : v.isBool() ? (v.toBool() ? QStringLiteral("yes") : QStringLiteral("no"))
                                 : v.isDouble() ? QString::number(v.toDouble())
                                 : QString::fromUtf8(QJsonDocument::fromVariant(v.toVariant()).toJson(QJsonDocument::Compact));
            out(QStringLiteral("%1: %2\n").arg(it.key(), -13).arg(text));
        }
    }
    return kOk;
}

int configCheck(const QStringList& words) {
    if (words.value(0) != QStringLiteral("check")) {
        err(QStringLiteral("tessera config: unknown subcommand '%1' (check)\n").arg(words.value(0)));
        return kUsage;
    }
    Args a = parse(words.mid(1), {}, {});
    if (a.has(QStringLiteral("help"))) return out(QString::fromUtf8(kCommandHelp.at(QStringLiteral("config check")))), kOk;
    if (a.error) return usage(QStringLiteral("config check"), *a.error);
    if (a.positional.size() != 1) return usage(QStringLiteral("config check"), QStringLiteral("give exactly one FILE"));
    Log log(QStringLiteral("host"), LogLevel::Quiet);
    int code = kOk;
    auto app = openApp(a.positional.front(), log, HostApp::Database::None, code);
    if (!app) return code;
    app->runtime().inspect();
    int problems = 0;
    for (const auto& s : app->runtime().plugins()) {
        if (s.state != PluginState::Failed && s.state != PluginState::Skipped) continue;
        if (!s.enabled) {
            // Installed but not enabled: worth knowing, not a problem of this deployment.
            err(QStringLiteral("note: %1 (not enabled) %2: %3\n").arg(s.id, stateName(s.state), s.reason));
            continue;
        }
        ++problems;
        err(QStringLiteral("%1%2: %3 %4: %5\n")
                .arg(app->deployment().file, s.configLine ? QStringLiteral(":%1").arg(s.configLine) : QString(), s.id,
                     stateName(s.state), s.reason));
    }
    int enabled = 0;
    for (const auto& s : app->runtime().plugins()) enabled += s.enabled ? 1 : 0;
    if (problems) {
        err(QStringLiteral("%1 problem(s) found\n").arg(problems));
        return kProblem;
    }
    out(QStringLiteral("%1: valid (%2 plugin(s) enabled)\n").arg(app->deployment().file).arg(enabled));
    return kOk;
}

int migrate(const QStringList& words) {
    Args a = parse(words, {QStringLiteral("config")}, {QStringLiteral("dry-run")});
    if (a.has(QStringLiteral("help"))) return out(QString::fromUtf8(kCommandHelp.at(QStringLiteral("migrate")))), kOk;
    if (a.error) return usage(QStringLiteral("migrate"), *a.error);
    if (!a.has(QStringLiteral("config"))) return usage(QStringLiteral("migrate"), QStringLiteral("--config FILE is required"));
    Log log(QStringLiteral("host"), LogLevel::Warning);
    int code = kOk;
    auto app = openApp(a.value(QStringLiteral("config")), log, HostApp::Database::Open, code);
    if (!app) return code == kProblem ? kCannotStart : code;
    const bool dryRun = a.has(QStringLiteral("dry-run"));
    const auto pending = app->runtime().migrate(dryRun);
    for (const auto& p : pending) out(QStringLiteral("%1 %2 %3\n").arg(dryRun ? QStringLiteral("pending") : QStringLiteral("applied"), p.pluginId, p.file));
    bool failed = false;
    for (const auto& s : app->runtime().plugins()) {
        if (s.enabled && s.state == PluginState::Failed) {
            err(QStringLiteral("%1: %2\n").arg(s.id, s.reason));
            failed = true;
        }
    }
    if (pending.empty()) out(QStringLiteral("nothing to migrate\n"));
    return failed ? kProblem : kOk;
}

std::optional<QString> readPassword(bool fromStdin) {
    std::string line;
    if (fromStdin || !isatty(STDIN_FILENO)) {
        if (!fromStdin) return std::nullopt;
        std::getline(std::cin, line);
        return QString::fromStdString(line);
    }
    auto ask = [&](const char* prompt) {
        std::fputs(prompt, stderr);
        termios old{};
        tcgetattr(STDIN_FILENO, &old);
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        std::string answer;
        std::getline(std::cin, answer);
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::fputs("\n", stderr);
        return QString::fromStdString(answer);
    };
    const QString first = ask("Password: ");
    if (ask("Repeat password: ") != first) {
        err(QStringLiteral("the passwords differ\n"));
        return QString();
    }
    return first;
}

int user(const QStringList& words) {
    const QString sub = words.value(0);
    static const QStringList subs{QStringLiteral("add"), QStringLiteral("passwd"), QStringLiteral("grant"),
                                  QStringLiteral("revoke"), QStringLiteral("list"), QStringLiteral("token")};
    if (sub.isEmpty() || sub == QStringLiteral("--help")) {
        (sub.isEmpty() ? err : out)(QString::fromUtf8(kCommandHelp.at(QStringLiteral("user"))));
        return sub.isEmpty() ? kUsage : kOk;
    }
    if (!subs.contains(sub)) return usage(QStringLiteral("user"), QStringLiteral("unknown subcommand '%1'").arg(sub));
    Args a = parse(words.mid(1), {QStringLiteral("config"), QStringLiteral("display-name"), QStringLiteral("unit"),
                                  QStringLiteral("scope"), QStringLiteral("label")},
                   {QStringLiteral("admin"), QStringLiteral("password-stdin")});
    if (a.has(QStringLiteral("help"))) return out(QString::fromUtf8(kCommandHelp.at(QStringLiteral("user")))), kOk;
    if (a.error) return usage(QStringLiteral("user"), *a.error);
    if (!a.has(QStringLiteral("config"))) return usage(QStringLiteral("user"), QStringLiteral("--config FILE is required"));
    const int wantArgs = sub == QStringLiteral("list") ? 0 : (sub == QStringLiteral("grant") || sub == QStringLiteral("revoke")) ? 2 : 1;
    if (a.positional.size() != wantArgs)
        return usage(QStringLiteral("user"), QStringLiteral("user %1 takes %2 argument(s)").arg(sub).arg(wantArgs));
    qint64 unitId = 0;
    if (a.has(QStringLiteral("unit"))) {
        bool ok = false;
        unitId = a.value(QStringLiteral("unit")).toLongLong(&ok);
        if (!ok || unitId <= 0) return usage(QStringLiteral("user"), QStringLiteral("--unit takes a unit id"));
    }

    Log log(QStringLiteral("host"), LogLevel::Warning);
    int code = kOk;
    auto app = openAccounts(a.value(QStringLiteral("config")), log, code);
    if (!app) return code;
    AuditActorScope actor(AuditActor{0, QStringLiteral("cli"), QStringLiteral("core"), QString()});
    Accounts& accounts = app->accounts();
    auto refuse = [](const tessera::Error& e) {
        err(e.message + QLatin1Char('\n'));
        return kProblem;
    };

    if (sub == QStringLiteral("list")) {
        auto users = accounts.users();
        if (!users) return refuse(users.error());
        for (const auto& u : *users) {
            out(QStringLiteral("%1 %2%3\n").arg(u.username, -20).arg(u.displayName, u.disabled ? QStringLiteral(" (disabled)") : QString()));
            if (auto as = accounts.assignments(u.id))
                for (const auto& x : *as)
                    out(QStringLiteral("    %1 %2%3\n").arg(x.roleName, scopeName(x.scope),
                                                         x.unitId ? QStringLiteral(" unit %1 %2").arg(x.unitId).arg(x.unitName) : QString()));
        }
        return kOk;
    }
    const QString name = a.positional.front();
    if (sub == QStringLiteral("add") || sub == QStringLiteral("passwd")) {
        auto password = readPassword(a.has(QStringLiteral("password-stdin")));
        if (!password) return usage(QStringLiteral("user"), QStringLiteral("standard input is not a terminal: use --password-stdin"));
        if (password->isEmpty()) return kProblem;
        if (sub == QStringLiteral("passwd")) {
            auto u = accounts.userByName(name);
            if (!u) return refuse(u.error());
            if (auto s = accounts.setPassword(u->id, *password); !s) return refuse(s.error());
            out(QStringLiteral("password of %1 changed\n").arg(name));
            return kOk;
        }
        auto id = accounts.addUser(name, a.value(QStringLiteral("display-name")), *password, unitId);
        if (!id) return refuse(id.error());
        if (a.has(QStringLiteral("admin"))) {
            auto role = accounts.roleByName(kAdministratorRole);
            if (!role) return refuse(role.error());
            if (auto g = accounts.grant(*id, role->id, ScopeKind::All, 0); !g) return refuse(g.error());
        }
        out(QStringLiteral("user %1 added (id %2)%3\n").arg(name).arg(*id).arg(a.has(QStringLiteral("admin")) ? QStringLiteral(", administrator") : QString()));
        return kOk;
    }
    auto u = accounts.userByName(name);
    if (!u) return refuse(u.error());
    if (sub == QStringLiteral("token")) {
        if (!a.has(QStringLiteral("label"))) return usage(QStringLiteral("user"), QStringLiteral("--label TEXT is required"));
        auto token = app->sessions().createToken(u->id, a.value(QStringLiteral("label")), std::nullopt);
        if (!token) return refuse(token.error());
        out(token->second + QLatin1Char('\n'));
        return kOk;
    }
    auto role = accounts.roleByName(a.positional.at(1));
    if (!role) return refuse(role.error());
    std::optional<ScopeKind> scope;
    if (a.has(QStringLiteral("scope"))) {
        scope = parseScope(a.value(QStringLiteral("scope")));
        if (!scope) return usage(QStringLiteral("user"), QStringLiteral("--scope must be unit, subtree or all"));
    }
    if (sub == QStringLiteral("grant")) {
        if (!scope) return usage(QStringLiteral("user"), QStringLiteral("--scope unit|subtree|all is required"));
        auto id = accounts.grant(u->id, role->id, *scope, unitId);
        if (!id) return refuse(id.error());
        out(QStringLiteral("granted %1 to %2 (%3%4)\n").arg(role->name, name, scopeName(*scope), unitId ? QStringLiteral(" of unit %1").arg(unitId) : QString()));
        return kOk;
    }
    auto assignments = accounts.assignments(u->id);
    if (!assignments) return refuse(assignments.error());
    int revoked = 0;
    for (const auto& x : *assignments) {
        if (x.roleId != role->id || (scope && x.scope != *scope) || (unitId && x.unitId != unitId)) continue;
        if (auto s = accounts.revoke(x.id); !s) return refuse(s.error());
        ++revoked;
    }
    if (!revoked) {
        err(QStringLiteral("%1 has no matching assignment of %2\n").arg(name, role->name));
        return kProblem;
    }
    out(QStringLiteral("revoked %1 assignment(s) of %2 from %3\n").arg(revoked).arg(role->name, name));
    return kOk;
}

}  // namespace

int role(const QStringList& words) {
    const QString sub = words.value(0);
    if (sub.isEmpty() || sub == QStringLiteral("--help")) {
        (sub.isEmpty() ? err : out)(QString::fromUtf8(kCommandHelp.at(QStringLiteral("role"))));
        return sub.isEmpty() ? kUsage : kOk;
    }
    if (sub != QStringLiteral("add") && sub != QStringLiteral("list"))
        return usage(QStringLiteral("role"), QStringLiteral("unknown subcommand '%1'").arg(sub));
    Args a = parse(words.mid(1), {QStringLiteral("config"), QStringLiteral("permissions"), QStringLiteral("label")}, {});
    if (a.has(QStringLiteral("help"))) return out(QString::fromUtf8(kCommandHelp.at(QStringLiteral("role")))), kOk;
    if (a.error) return usage(QStringLiteral("role"), *a.error);
    if (!a.has(QStringLiteral("config"))) return usage(QStringLiteral("role"), QStringLiteral("--config FILE is required"));
    const int wantArgs = sub == QStringLiteral("list") ? 0 : 1;
    if (a.positional.size() != wantArgs)
        return usage(QStringLiteral("role"), QStringLiteral("role %1 takes %2 argument(s)").arg(sub).arg(wantArgs));
    if (sub == QStringLiteral("add") && a.value(QStringLiteral("permissions")).trimmed().isEmpty())
        return usage(QStringLiteral("role"), QStringLiteral("--permissions ID,ID,... is required"));

    Log log(QStringLiteral("host"), LogLevel::Warning);
    int code = kOk;
    auto app = openAccounts(a.value(QStringLiteral("config")), log, code);
    if (!app) return code;
    AuditActorScope actor(AuditActor{0, QStringLiteral("cli"), QStringLiteral("core"), QString()});
    Accounts& accounts = app->accounts();
    if (sub == QStringLiteral("list")) {
        auto roles = accounts.roles();
        if (!roles) return err(roles.error().message + QLatin1Char('\n')), kProblem;
        for (const auto& r : *roles)
            out(QStringLiteral("%1 %2\n    %3\n").arg(r.name, -20).arg(r.label, r.permissions.join(QStringLiteral(", "))));
        return kOk;
    }
    // The permissions a role may name: the host's and those of the plugins that resolve.
    QStringList known;
    for (const auto& p : hostPermissions()) known << p.id;
    for (const auto& spec : app->runtime().plugins())
        if (spec.manifest && (spec.state == PluginState::Resolved || spec.state == PluginState::Started))
            for (const auto& p : spec.manifest->permissions) known << p.id;
    QStringList permissions;
    for (const QString& p : a.value(QStringLiteral("permissions")).split(u',', Qt::SkipEmptyParts)) permissions << p.trimmed();
    auto id = accounts.createRole(a.positional.front(), a.value(QStringLiteral("label")), permissions, known);
    if (!id) return err(id.error().message + QLatin1Char('\n')), kProblem;
    out(QStringLiteral("role %1 added (id %2): %3\n").arg(a.positional.front()).arg(*id).arg(permissions.join(QStringLiteral(", "))));
    return kOk;
}

int demo(const QStringList& words) {
    Args a = parse(words, {QStringLiteral("config"), QStringLiteral("organisations"), QStringLiteral("people"), QStringLiteral("depth"),
                           QStringLiteral("seed")},
                   {});
    if (a.has(QStringLiteral("help"))) return out(QString::fromUtf8(kCommandHelp.at(QStringLiteral("demo")))), kOk;
    if (a.error) return usage(QStringLiteral("demo"), *a.error);
    if (!a.has(QStringLiteral("config"))) return usage(QStringLiteral("demo"), QStringLiteral("--config FILE is required"));
    tessera::DemoScale scale;
    auto number = [&](const char* name, qint64& target, qint64 min, qint64 max) -> std::optional<QString> {
        if (!a.has(QLatin1String(name))) return std::nullopt;
        bool ok = false;
        const qint64 v = a.value(QLatin1String(name)).toLongLong(&ok);
        if (!ok || v < min || v > max) return QStringLiteral("--%1 takes a whole number from %2 to %3").arg(QLatin1String(name)).arg(min).arg(max);
        target = v;
        return std::nullopt;
    };
    qint64 depth = scale.depth, seed = static_cast<qint64>(scale.seed);
    for (auto problem : {number("organisations", scale.organisations, 1, 1'000'000), number("people", scale.people, 0, 100'000'000),
                         number("depth", depth, 1, 10), number("seed", seed, 0, std::numeric_limits<qint64>::max())})
        if (problem) return usage(QStringLiteral("demo"), *problem);
    scale.depth = static_cast<int>(depth);
    scale.seed = static_cast<quint64>(seed);

    Log log(QStringLiteral("host"), LogLevel::Warning);
    int code = kOk;
    auto app = openApp(a.value(QStringLiteral("config")), log, HostApp::Database::Open, code);
    if (!app) return code == kProblem ? kCannotStart : code;
    app->startPlugins();
    auto root = app->units().ensureRoot(app->deployment().name);
    if (!root) return err(root.error().message + QLatin1Char('\n')), kCannotStart;
    const auto generators = app->runtime().demoGenerators();
    if (generators.empty()) {
        err(QStringLiteral("no enabled plugin of %1 makes sample data\n").arg(app->deployment().file));
        return kProblem;
    }
    int result = kOk;
    for (const auto& g : generators) {
        AuditActorScope actor(AuditActor{0, QStringLiteral("cli"), g.pluginId, QString()});
        QString made;
        auto s = app->store().bulkTransaction(QStringLiteral("sample data (tessera demo)"), [&]() -> tessera::Status {
            auto r = g.generator(scale, root->id, *g.context);
            if (!r) return r.error();
            made = *r;
            return {};
        });
        if (s) {
            out(QStringLiteral("%1: %2\n").arg(g.pluginId, made));
        } else {
            err(QStringLiteral("%1: %2\n").arg(g.pluginId, s.error().message));
            result = kProblem;
        }
    }
    return result;
}

// The command line, run; its exit code.
int runCommand(QStringList words) {
    const QString command = words.value(0);
    words = words.mid(1);
    if (command.isEmpty() || command == QStringLiteral("--help") || command == QStringLiteral("help")) {
        (command.isEmpty() ? err : out)(QString::fromUtf8(kMainHelp));
        return command.isEmpty() ? kUsage : kOk;
    }
    if (command == QStringLiteral("--version")) return out(QStringLiteral("tessera " TESSERA_VERSION "\n")), kOk;
    if (command == QStringLiteral("serve")) return serve(words);
    if (command == QStringLiteral("plugins")) return plugins(words);
    if (command == QStringLiteral("config")) return configCheck(words);
    if (command == QStringLiteral("migrate")) return migrate(words);
    if (command == QStringLiteral("user")) return user(words);
    if (command == QStringLiteral("role")) return role(words);
    if (command == QStringLiteral("demo")) return demo(words);
    err(QStringLiteral("tessera: unknown command '%1'\n\n%2").arg(command, QString::fromUtf8(kMainHelp)));
    return kUsage;
}

int main(int argc, char** argv) {
    // Without TZ, glibc looks at /etc/localtime again (a stat) on every local time
    // conversion, which a million-row import makes several times per row; the same zone,
    // named, is read once. A changed system time zone then takes effect on restart.
    if (!qEnvironmentVariableIsSet("TZ")) qputenv("TZ", ":/etc/localtime");
    QCoreApplication qtApp(argc, argv);  // Qt's locale, text codecs and collation need it
    const int code = runCommand(QCoreApplication::arguments().mid(1));
    // What went to stdout may be a file a script keeps (plugins list --json > plugins.json):
    // a write that failed, also at the last flush (a full disk), fails the command.
    errno = 0;
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
        err(QStringLiteral("tessera: cannot write the output: %1\n").arg(QString::fromLocal8Bit(std::strerror(errno ? errno : EIO))));
        return code == kOk ? kProblem : code;
    }
    return code;
}
