#include "store/audit_log.hpp"
#include "store/migrations.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <QJsonObject>

#include <thread>

using namespace tessera;
using namespace tessera::host;

namespace {

struct Audit : ::testing::Test {
    test::TempDir dir;
    std::unique_ptr<SqliteStore> db = std::move(SqliteStore::open(dir.file(QStringLiteral("a.db")))).value();
    AuditLog log{*db};
    AuditActor alice{7, QStringLiteral("alice"), QStringLiteral("biz.notes"), QStringLiteral("10.0.0.7")};

    void SetUp() override {
        auto applied = Migrations(*db).apply(kCoreMigrationOwner, QStringLiteral("test"), coreMigrations());
        ASSERT_TRUE(applied.ok()) << applied.error().message.toStdString();
        ASSERT_TRUE(db->executeScript(QStringLiteral(
            "CREATE TABLE notes(id INTEGER PRIMARY KEY, title TEXT NOT NULL UNIQUE, body TEXT, stars INTEGER, data BLOB)")));
    }

    // The entries about `table`, newest first.
    std::vector<AuditEntry> entries(const QString& table = QStringLiteral("notes")) {
        AuditFilter f;
        f.table = table;
        f.size = AuditFilter::kMaxSize;
        auto page = log.query(f);
        EXPECT_TRUE(page.ok()) << page.error().message.toStdString();
        return page.ok() ? page->items : std::vector<AuditEntry>{};
    }

    qint64 insertNote(const QString& title, const QVariant& stars = 1) {
        auto w = db->execute(QStringLiteral("INSERT INTO notes(title, body, stars) VALUES (?1, 'text', ?2)"), {title, stars});
        EXPECT_TRUE(w.ok()) << w.error().message.toStdString();
        return w.ok() ? w->lastInsertId : 0;
    }

    int count(const QString& sql) { return db->queryOne(sql)->value(QStringLiteral("n")).toInt(); }
};

QJsonObject object(const QJsonValue& v) { return v.toObject(); }

}  // namespace

TEST_F(Audit, RecordsInsertUpdateAndDeleteWithTheActorAndTheValuesBeforeAndAfter) {
    AuditActorScope as(alice);
    const qint64 id = insertNote(QStringLiteral("会议纪要"));
    ASSERT_TRUE(db->execute(QStringLiteral("UPDATE notes SET stars = 5 WHERE id = ?1"), {id}).ok());
    ASSERT_TRUE(db->execute(QStringLiteral("DELETE FROM notes WHERE id = ?1"), {id}).ok());

    const auto e = entries();
    ASSERT_EQ(e.size(), 3u);
    EXPECT_EQ(e[2].action, QStringLiteral("insert"));
    EXPECT_EQ(e[1].action, QStringLiteral("update"));
    EXPECT_EQ(e[0].action, QStringLiteral("delete"));
    for (const auto& entry : e) {
        EXPECT_EQ(entry.userId, 7);
        EXPECT_EQ(entry.username, QStringLiteral("alice"));
        EXPECT_EQ(entry.pluginId, QStringLiteral("biz.notes"));
        EXPECT_EQ(entry.address, QStringLiteral("10.0.0.7"));
        EXPECT_EQ(entry.table, QStringLiteral("notes"));
        EXPECT_EQ(entry.recordId, id);
        EXPECT_TRUE(QDateTime::fromString(entry.at, Qt::ISODateWithMs).isValid()) << entry.at.toStdString();
        EXPECT_TRUE(entry.at.endsWith(QLatin1Char('Z')));
    }
    EXPECT_TRUE(e[2].before.isNull());
    EXPECT_EQ(object(e[2].after),
              (QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("title"), QStringLiteral("会议纪要")},
                           {QStringLiteral("body"), QStringLiteral("text")}, {QStringLiteral("stars"), 1},
                           {QStringLiteral("data"), QJsonValue::Null}}));
    EXPECT_EQ(object(e[0].before).value(QStringLiteral("stars")).toInt(), 5);
    EXPECT_EQ(object(e[0].before).size(), 5);
    EXPECT_TRUE(e[0].after.isNull());
}

TEST_F(Audit, AnActorScopeMayBeGivenATemporaryAndScopesNest) {
    AuditActorScope outer(AuditActor{3, QStringLiteral("carol"), QStringLiteral("core"), {}});
    {
        AuditActorScope inner(alice);
        insertNote(QStringLiteral("by alice"));
    }
    insertNote(QStringLiteral("by carol"));
    const auto e = entries();
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].username, QStringLiteral("carol"));
    EXPECT_EQ(e[1].username, QStringLiteral("alice"));
}

TEST_F(Audit, WithoutAnActorTheSystemIsRecorded) {
    insertNote(QStringLiteral("a"));
    const auto e = entries();
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].userId, 0);
    EXPECT_EQ(e[0].username, QStringLiteral("system"));
    EXPECT_TRUE(e[0].pluginId.isEmpty());
}

TEST_F(Audit, AnUpdateRecordsOnlyTheColumnsThatChanged) {
    const qint64 id = insertNote(QStringLiteral("a"), 1);
    ASSERT_TRUE(db->execute(QStringLiteral("UPDATE notes SET title = 'b', body = 'text', stars = 2 WHERE id = ?1"), {id}).ok());
    ASSERT_TRUE(db->execute(QStringLiteral("UPDATE notes SET body = 'text' WHERE id = ?1"), {id}).ok());  // no change

    const auto e = entries();
    ASSERT_EQ(e.size(), 2u) << "an update that changes nothing is not recorded";
    EXPECT_EQ(object(e[0].before), (QJsonObject{{QStringLiteral("title"), QStringLiteral("a")}, {QStringLiteral("stars"), 1}}));
    EXPECT_EQ(object(e[0].after), (QJsonObject{{QStringLiteral("title"), QStringLiteral("b")}, {QStringLiteral("stars"), 2}}));
}

TEST_F(Audit, ARolledBackTransactionLeavesNoEntries) {
    Status s = db->transaction([&]() -> Status {
        insertNote(QStringLiteral("a"));
        insertNote(QStringLiteral("b"));
        return Error{QStringLiteral("test"), QStringLiteral("changed my mind")};
    });
    EXPECT_FALSE(s.ok());
    EXPECT_TRUE(entries().empty());
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) AS n FROM notes")), 0);
}

TEST_F(Audit, AThrowingTransactionLeavesNoEntries) {
    EXPECT_THROW((void)db->transaction([&]() -> Status {
        insertNote(QStringLiteral("a"));
        throw std::runtime_error("boom");
    }), std::runtime_error);
    EXPECT_TRUE(entries().empty());
    insertNote(QStringLiteral("b"));
    EXPECT_EQ(entries().size(), 1u) << "nothing of the thrown-away part is written later either";
}

TEST_F(Audit, ARolledBackSavepointDropsOnlyItsOwnEntries) {
    Status s = db->transaction([&]() -> Status {
        insertNote(QStringLiteral("outer before"));
        Status inner = db->transaction([&]() -> Status {
            insertNote(QStringLiteral("inner 1"));
            // A statement, a nested savepoint that commits, then failure: all of it goes.
            if (Status deeper = db->transaction([&]() -> Status { insertNote(QStringLiteral("inner 2")); return {}; }); !deeper)
                return deeper;
            insertNote(QStringLiteral("inner 3"));
            return Error{QStringLiteral("test"), QStringLiteral("inner fails")};
        });
        EXPECT_FALSE(inner.ok());
        insertNote(QStringLiteral("outer after"));
        return {};
    });
    ASSERT_TRUE(s.ok());
    const auto e = entries();
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(object(e[0].after).value(QStringLiteral("title")).toString(), QStringLiteral("outer after"));
    EXPECT_EQ(object(e[1].after).value(QStringLiteral("title")).toString(), QStringLiteral("outer before"));
}

TEST_F(Audit, AFailedStatementInsideATransactionLeavesNoEntry) {
    insertNote(QStringLiteral("taken"));
    Status s = db->transaction([&]() -> Status {
        insertNote(QStringLiteral("new"));
        // Changes two rows before the second one collides with "taken": SQLite undoes both.
        auto clash = db->execute(QStringLiteral("UPDATE notes SET title = 'taken' WHERE title = 'new'"));
        EXPECT_FALSE(clash.ok());
        return {};
    });
    ASSERT_TRUE(s.ok());
    const auto e = entries();
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].action, QStringLiteral("insert"));
    EXPECT_EQ(e[1].action, QStringLiteral("insert"));
}

TEST_F(Audit, AWriteThroughPrepareOutsideATransactionIsRefused) {
    auto stmt = db->prepare(QStringLiteral("INSERT INTO notes(title) VALUES ('a')"));
    ASSERT_TRUE(stmt.ok());
    auto stepped = (*stmt)->step();
    ASSERT_FALSE(stepped.ok());
    EXPECT_EQ(stepped.error().code, QStringLiteral("db.no_transaction"));
    EXPECT_TRUE(stepped.error().message.contains(QStringLiteral("transaction()")));
    EXPECT_EQ(count(QStringLiteral("SELECT count(*) AS n FROM notes")), 0);

    Status inside = db->transaction([&]() -> Status {
        auto again = (*stmt)->step();
        if (!again) return again.error();
        return {};
    });
    EXPECT_TRUE(inside.ok()) << inside.error().message.toStdString();
    EXPECT_EQ(entries().size(), 1u);
    // Reads need no transaction, nor does explaining a write.
    EXPECT_TRUE(db->query(QStringLiteral("SELECT * FROM notes")).ok());
    EXPECT_TRUE(db->query(QStringLiteral("EXPLAIN QUERY PLAN UPDATE notes SET stars = 1 WHERE id = 1")).ok());
}

TEST_F(Audit, ExecuteOutsideATransactionWritesTheRowAndItsEntryTogether) {
    EXPECT_FALSE(db->inTransaction());
    const qint64 id = insertNote(QStringLiteral("a"));
    EXPECT_FALSE(db->inTransaction());
    ASSERT_EQ(entries().size(), 1u);
    EXPECT_EQ(entries()[0].recordId, id);

    // A failing write leaves neither the row nor an entry.
    auto dup = db->execute(QStringLiteral("INSERT INTO notes(title) VALUES ('a')"));
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().code, QStringLiteral("db.constraint"));
    EXPECT_EQ(entries().size(), 1u);
    EXPECT_FALSE(db->inTransaction());
}

TEST_F(Audit, TheCallerStillSeesItsOwnInsertIdAndChangeCount) {
    Status s = db->transaction([&]() -> Status {
        auto w = db->execute(QStringLiteral("INSERT INTO notes(title) VALUES ('a')"));
        EXPECT_EQ(w->changes, 1);
        auto last = db->queryOne(QStringLiteral("SELECT last_insert_rowid() AS id, changes() AS n"));
        EXPECT_EQ(last->value(QStringLiteral("id")).toLongLong(), w->lastInsertId);
        EXPECT_EQ(last->value(QStringLiteral("n")).toInt(), 1);
        EXPECT_TRUE(db->execute(QStringLiteral("INSERT INTO notes(title) VALUES ('b')")).ok());
        auto many = db->execute(QStringLiteral("UPDATE notes SET stars = 3"));
        EXPECT_EQ(many->changes, 2);
        EXPECT_EQ(db->queryOne(QStringLiteral("SELECT changes() AS n"))->value(QStringLiteral("n")).toInt(), 2);
        return {};
    });
    ASSERT_TRUE(s.ok());
}

TEST_F(Audit, SkippedTablesAndTheLogItselfAreNotLogged) {
    db->setUnaudited({QStringLiteral("sessions")});
    ASSERT_TRUE(db->executeScript(QStringLiteral("CREATE TABLE sessions(token TEXT PRIMARY KEY, last_seen TEXT)")));
    ASSERT_TRUE(db->execute(QStringLiteral("INSERT INTO sessions VALUES ('t', 'now')")).ok());
    ASSERT_TRUE(db->execute(QStringLiteral("UPDATE sessions SET last_seen = 'later'")).ok());
    insertNote(QStringLiteral("a"));
    EXPECT_TRUE(entries(QStringLiteral("sessions")).empty());
    EXPECT_TRUE(entries(QStringLiteral("core_migrations")).empty());
    EXPECT_TRUE(entries(QStringLiteral("core_audit")).empty());
    EXPECT_EQ(entries().size(), 1u);

    db->setUnaudited({});
    ASSERT_TRUE(db->execute(QStringLiteral("UPDATE sessions SET last_seen = 'latest'")).ok());
    EXPECT_EQ(entries(QStringLiteral("sessions")).size(), 1u);
}

TEST_F(Audit, RedactedColumnsShowOnlyThatTheyChanged) {
    db->setRedactedColumns({QStringLiteral("notes.body")});
    const qint64 id = insertNote(QStringLiteral("a"));
    ASSERT_TRUE(db->execute(QStringLiteral("UPDATE notes SET body = 'secret' WHERE id = ?1"), {id}).ok());
    const auto e = entries();
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(object(e[0].before), (QJsonObject{{QStringLiteral("body"), QStringLiteral("[redacted]")}}));
    EXPECT_EQ(object(e[0].after), (QJsonObject{{QStringLiteral("body"), QStringLiteral("[redacted]")}}));
    EXPECT_EQ(object(e[1].after).value(QStringLiteral("title")).toString(), QStringLiteral("a"));
}

TEST_F(Audit, BlobsAreRecordedAsBase64) {
    ASSERT_TRUE(db->execute(QStringLiteral("INSERT INTO notes(title, data) VALUES ('a', ?1)"), {QByteArray("\x00\xff", 2)}).ok());
    const auto e = entries();
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(object(e[0].after).value(QStringLiteral("data")).toObject(),
              (QJsonObject{{QStringLiteral("$base64"), QStringLiteral("AP8=")}}));
}

TEST_F(Audit, ColumnsAddedLaterAreNamed) {
    insertNote(QStringLiteral("a"));
    ASSERT_TRUE(db->executeScript(QStringLiteral("ALTER TABLE notes ADD COLUMN colour TEXT")));
    ASSERT_TRUE(db->execute(QStringLiteral("UPDATE notes SET colour = 'red'")).ok());
    const auto e = entries();
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(object(e[0].after), (QJsonObject{{QStringLiteral("colour"), QStringLiteral("red")}}));
}

TEST_F(Audit, ScriptsAreRecordedAsTheSystem) {
    AuditActorScope as(alice);
    ASSERT_TRUE(db->executeScript(QStringLiteral("INSERT INTO notes(title) VALUES ('seed'); DELETE FROM notes;")));
    const auto e = entries();
    ASSERT_EQ(e.size(), 2u) << "a DELETE without WHERE is recorded row by row too";
    EXPECT_EQ(e[0].action, QStringLiteral("delete"));
    EXPECT_EQ(e[0].userId, 0);
    EXPECT_EQ(e[0].username, QStringLiteral("system"));
    EXPECT_EQ(e[0].pluginId, QStringLiteral("biz.notes"));
}

TEST_F(Audit, ASummaryTransactionRecordsOneEntryInsteadOfOnePerRow) {
    AuditActorScope as(alice);
    ASSERT_TRUE(db->executeScript(QStringLiteral("CREATE TABLE tags(id INTEGER PRIMARY KEY, name TEXT)")));
    Status s = db->transactionWithSummary(QStringLiteral("import notes.xlsx"), [&]() -> Status {
        for (int i = 0; i < 100; ++i) insertNote(QStringLiteral("n%1").arg(i));
        // A failed part inside is not counted.
        (void)db->transaction([&]() -> Status {
            insertNote(QStringLiteral("rolled back"));
            return Error{QStringLiteral("test"), QStringLiteral("no")};
        });
        if (auto w = db->execute(QStringLiteral("UPDATE notes SET stars = 9 WHERE id <= 10")); !w) return w.error();
        return db->execute(QStringLiteral("INSERT INTO tags(name) VALUES ('x')"));
    });
    ASSERT_TRUE(s.ok()) << s.error().message.toStdString();
    EXPECT_TRUE(entries().empty());
    AuditFilter f;
    f.action = QStringLiteral("bulk");
    auto page = log.query(f);
    ASSERT_EQ(page->items.size(), 1u);
    const AuditEntry& bulk = page->items[0];
    EXPECT_EQ(bulk.detail, QStringLiteral("import notes.xlsx"));
    EXPECT_EQ(bulk.username, QStringLiteral("alice"));
    EXPECT_TRUE(bulk.table.isEmpty()) << "two tables";
    EXPECT_EQ(object(bulk.after),
              (QJsonObject{{QStringLiteral("notes"), QJsonObject{{QStringLiteral("insert"), 100}, {QStringLiteral("update"), 10}}},
                           {QStringLiteral("tags"), QJsonObject{{QStringLiteral("insert"), 1}}}}));

    // Per-row entries again afterwards; a failed summary writes nothing.
    insertNote(QStringLiteral("single"));
    EXPECT_EQ(entries().size(), 1u);
    Status failed = db->transactionWithSummary(QStringLiteral("failed import"), [&]() -> Status {
        insertNote(QStringLiteral("x1"));
        return Error{QStringLiteral("test"), QStringLiteral("bad file")};
    });
    EXPECT_FALSE(failed.ok());
    EXPECT_EQ(log.query(f)->total, 1);
}

TEST_F(Audit, RecordsExplicitEvents) {
    AuditActorScope as(alice);
    ASSERT_TRUE(log.record({QStringLiteral("logout"), {}, {}, {}, {}}).ok());
    AuditEvent failed{QStringLiteral("login.failed"), QStringLiteral("wrong password"),
                      AuditActor{0, QStringLiteral("mallory"), QStringLiteral("core"), QStringLiteral("192.0.2.1")},
                      QString(), std::nullopt};
    ASSERT_TRUE(log.record(failed).ok());
    EXPECT_FALSE(db->inTransaction());

    auto page = log.query({});
    ASSERT_TRUE(page.ok());
    ASSERT_EQ(page->items.size(), 2u);
    EXPECT_EQ(page->items[0].action, QStringLiteral("login.failed"));
    EXPECT_EQ(page->items[0].username, QStringLiteral("mallory"));
    EXPECT_EQ(page->items[0].address, QStringLiteral("192.0.2.1"));
    EXPECT_EQ(page->items[0].detail, QStringLiteral("wrong password"));
    EXPECT_EQ(page->items[1].action, QStringLiteral("logout"));
    EXPECT_EQ(page->items[1].username, QStringLiteral("alice"));

    // Inside a transaction the event shares its fate.
    (void)db->transaction([&]() -> Status {
        EXPECT_TRUE(log.record({QStringLiteral("token.created"), {}, {}, {}, {}}).ok());
        return Error{QStringLiteral("test"), QStringLiteral("roll back")};
    });
    EXPECT_EQ(log.query({})->total, 2);

    EXPECT_EQ(log.record({QStringLiteral("update"), {}, {}, {}, {}}).error().code, QStringLiteral("audit.invalid"));
    EXPECT_EQ(log.record({}).error().code, QStringLiteral("audit.invalid"));
}

TEST_F(Audit, TheLogIsAppendOnly) {
    insertNote(QStringLiteral("a"));
    EXPECT_FALSE(db->execute(QStringLiteral("DELETE FROM core_audit")).ok());
    EXPECT_FALSE(db->execute(QStringLiteral("UPDATE core_audit SET username = 'nobody'")).ok());
    EXPECT_EQ(entries().size(), 1u);
    EXPECT_EQ(entries()[0].username, QStringLiteral("system"));
}

TEST_F(Audit, QueriesFilterAndPageNewestFirst) {
    AuditActor bob{8, QStringLiteral("bob"), QStringLiteral("biz.other"), {}};
    {
        AuditActorScope as(alice);
        for (int i = 0; i < 5; ++i) insertNote(QStringLiteral("alice %1").arg(i));
    }
    {
        AuditActorScope as(bob);
        for (int i = 0; i < 3; ++i) insertNote(QStringLiteral("bob %1").arg(i));
        ASSERT_TRUE(db->execute(QStringLiteral("UPDATE notes SET stars = 4 WHERE id = 2")).ok());
    }
    auto query = [&](auto set) {
        AuditFilter f;
        f.table = QStringLiteral("notes");
        set(f);
        auto page = log.query(f);
        EXPECT_TRUE(page.ok());
        return std::move(page).value();
    };
    EXPECT_EQ(query([](AuditFilter& f) { f.userId = 7; }).total, 5);
    EXPECT_EQ(query([](AuditFilter& f) { f.username = QStringLiteral("bob"); }).total, 4);
    EXPECT_EQ(query([](AuditFilter& f) { f.pluginId = QStringLiteral("biz.other"); }).total, 4);
    EXPECT_EQ(query([](AuditFilter& f) { f.recordId = 2; }).total, 2);
    EXPECT_EQ(query([](AuditFilter& f) { f.action = QStringLiteral("update"); }).total, 1);
    EXPECT_EQ(query([](AuditFilter& f) { f.from = QDateTime::currentDateTimeUtc().addSecs(60); }).total, 0);
    EXPECT_EQ(query([](AuditFilter& f) { f.to = QDateTime::currentDateTimeUtc().addSecs(-60); }).total, 0);
    EXPECT_EQ(query([](AuditFilter& f) { f.from = QDateTime::currentDateTimeUtc().addSecs(-60); }).total, 9);

    const AuditPage second = query([](AuditFilter& f) { f.page = 2; f.size = 4; });
    EXPECT_EQ(second.total, 9);
    ASSERT_EQ(second.items.size(), 4u);
    EXPECT_GT(second.items[0].id, second.items[1].id);
    EXPECT_EQ(object(second.items[0].after).value(QStringLiteral("title")).toString(), QStringLiteral("alice 4"));
    EXPECT_EQ(query([](AuditFilter& f) { f.page = 3; f.size = 4; }).items.size(), 1u);

    AuditFilter tooBig;
    tooBig.size = 201;
    EXPECT_EQ(log.query(tooBig).error().code, QStringLiteral("audit.invalid"));
}

TEST_F(Audit, ChangesBeforeASchemaChangeInTheSameTransactionKeepTheirColumnNames) {
    Status s = db->transaction([&]() -> Status {
        insertNote(QStringLiteral("a"));
        if (auto w = db->execute(QStringLiteral("ALTER TABLE notes DROP COLUMN body")); !w) return w.error();
        return db->execute(QStringLiteral("ALTER TABLE notes RENAME COLUMN stars TO rating"));
    });
    ASSERT_TRUE(s.ok()) << s.error().message.toStdString();
    ASSERT_TRUE(db->execute(QStringLiteral("UPDATE notes SET rating = 2")).ok());
    const auto e = entries();
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(object(e[1].after).value(QStringLiteral("body")).toString(), QStringLiteral("text"));
    EXPECT_EQ(object(e[1].after).value(QStringLiteral("stars")).toInt(), 1);
    EXPECT_EQ(object(e[0].after), (QJsonObject{{QStringLiteral("rating"), 2}}));
}

TEST_F(Audit, ABulkLoopKeepsEveryEntryAndAFailureDropsOnlyItsOwn) {
    Status s = db->transaction([&]() -> Status {
        auto stmt = db->prepare(QStringLiteral("INSERT INTO notes(title) VALUES (?1)"));
        for (int i = 0; i < 600; ++i) {  // more than one flush batch
            (void)(*stmt)->bind(1, QStringLiteral("n%1").arg(i));
            if (auto step = (*stmt)->step(); !step) return step.error();
            (*stmt)->reset();
        }
        (void)(*stmt)->bind(1, QStringLiteral("n0"));
        EXPECT_FALSE((*stmt)->step().ok());
        return {};
    });
    ASSERT_TRUE(s.ok()) << s.error().message.toStdString();
    AuditFilter f;
    f.table = QStringLiteral("notes");
    EXPECT_EQ(log.query(f)->total, 600);
}

TEST_F(Audit, EachThreadRecordsItsOwnActor) {
    std::vector<std::thread> threads;
    for (int t = 1; t <= 4; ++t) {
        threads.emplace_back([&, t] {
            AuditActorScope as(AuditActor{t, QStringLiteral("user%1").arg(t), {}, {}});
            for (int i = 0; i < 25; ++i) {
                auto w = db->execute(QStringLiteral("INSERT INTO notes(title) VALUES (?1)"), {QStringLiteral("%1-%2").arg(t).arg(i)});
                EXPECT_TRUE(w.ok()) << w.error().message.toStdString();
            }
        });
    }
    for (auto& th : threads) th.join();
    for (int t = 1; t <= 4; ++t) {
        AuditFilter f;
        f.userId = t;
        auto page = log.query(f);
        ASSERT_EQ(page->total, 25);
        for (const auto& e : page->items) {
            EXPECT_EQ(e.username, QStringLiteral("user%1").arg(t));
            EXPECT_TRUE(object(e.after).value(QStringLiteral("title")).toString().startsWith(QStringLiteral("%1-").arg(t)));
        }
    }
}
