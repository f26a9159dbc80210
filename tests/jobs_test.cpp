// The jobs API through a real host and the fx.jobs fixture plugin, whose routes start jobs
// that wait for cancellation, throw, fail, forget their output, or write a row and a file.

#include "host_fixture.hpp"

#include <QJsonArray>
#include <QJsonObject>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

using namespace tessera::test;

namespace {

class Jobs : public ::testing::Test {
protected:
    void SetUp() override {
        host = std::make_unique<RunningHost>(QStringList{fixturePluginDir()}, std::vector<EnablePlugin>{{QStringLiteral("fx.jobs"), {}}});
        const auto* spec = host->app().runtime().plugin(QStringLiteral("fx.jobs"));
        ASSERT_EQ(spec->state, tessera::host::PluginState::Started) << spec->reason.toStdString();
    }

    // Starts a job of the fixture; returns its href.
    QByteArray start(HttpClient& c, const QByteArray& kind) {
        auto r = c.request("POST", "/api/v1/fx.jobs/jobs/" + kind);
        EXPECT_EQ(r.status, 202) << r.body.toStdString();
        EXPECT_EQ(r.header("Location"), r.json().value(QStringLiteral("href")).toString().toUtf8());
        return r.json().value(QStringLiteral("href")).toString().toUtf8();
    }
    // Polls the job until `done(job)` holds (at most 20 s: a bound, not a timing).
    QJsonObject waitFor(HttpClient& c, const QByteArray& href, const std::function<bool(const QJsonObject&)>& done) {
        QJsonObject job;
        for (int i = 0; i < 2000; ++i) {
            auto r = c.get(href);
            EXPECT_EQ(r.status, 200) << r.body.toStdString();
            job = r.json();
            if (done(job)) return job;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        ADD_FAILURE() << "job never reached the state asked for: " << QJsonDocument(job).toJson().toStdString();
        return job;
    }

    std::unique_ptr<RunningHost> host;
};

}  // namespace

TEST_F(Jobs, ARunningJobShowsItsProgressAndStopsWhenCancelled) {
    auto c = host->client();
    const QByteArray href = start(c, "wait");
    auto running = waitFor(c, href, [](const QJsonObject& j) { return j.value(QStringLiteral("done")).toInt() == 3; });
    EXPECT_EQ(running.value(QStringLiteral("state")).toString(), QStringLiteral("running"));
    EXPECT_EQ(running.value(QStringLiteral("total")).toInt(), 10);
    EXPECT_EQ(running.value(QStringLiteral("percent")).toInt(), 30);
    EXPECT_EQ(running.value(QStringLiteral("stage")).toString(), QStringLiteral("waiting"));
    EXPECT_EQ(running.value(QStringLiteral("kind")).toString(), QStringLiteral("wait"));
    EXPECT_EQ(running.value(QStringLiteral("plugin")).toString(), QStringLiteral("fx.jobs"));
    EXPECT_EQ(running.value(QStringLiteral("owner")).toString(), QStringLiteral("admin"));
    // The output of an unfinished job is not there yet.
    EXPECT_EQ(c.get(href + "/output").status, 409);

    auto cancel = c.request("POST", href + "/cancel");
    EXPECT_EQ(cancel.status, 202) << cancel.body.toStdString();
    EXPECT_TRUE(cancel.json().value(QStringLiteral("cancelRequested")).toBool());
    auto over = waitForJob(c, href);
    EXPECT_EQ(over.value(QStringLiteral("state")).toString(), QStringLiteral("cancelled"));
    EXPECT_EQ(over.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(), QStringLiteral("job.cancelled"));
    // Cancelling what has ended is a conflict, and changes nothing.
    EXPECT_EQ(c.request("POST", href + "/cancel").status, 409);
    EXPECT_EQ(c.get(href).json().value(QStringLiteral("state")).toString(), QStringLiteral("cancelled"));
}

TEST_F(Jobs, AFailingOrThrowingJobFailsWithItsReasonAndTheHostKeepsServing) {
    auto c = host->client();
    auto failed = waitForJob(c, start(c, "fail"));
    EXPECT_EQ(failed.value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
    EXPECT_EQ(failed.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(), QStringLiteral("fx.bad_row"));
    EXPECT_EQ(failed.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString(), QStringLiteral("row 7: no such thing"));

    auto threw = waitForJob(c, start(c, "throw"));
    EXPECT_EQ(threw.value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
    EXPECT_EQ(threw.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(), QStringLiteral("job.exception"));
    EXPECT_TRUE(threw.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString().contains(QStringLiteral("fixture job fails")));

    const QByteArray noOutput = start(c, "no-output");
    auto empty = waitForJob(c, noOutput);
    EXPECT_EQ(empty.value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
    EXPECT_EQ(empty.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(), QStringLiteral("job.output"));
    EXPECT_EQ(c.get(noOutput + "/output").status, 404);
    EXPECT_EQ(c.get("/api/v1/health").status, 200);
}

TEST_F(Jobs, AJobWritesAsItsOwnerAndLeavesOneFileToDownload) {
    auto c = host->client();
    const QByteArray href = start(c, "write");
    auto job = waitForJob(c, href);
    ASSERT_EQ(job.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded")) << QJsonDocument(job).toJson().toStdString();
    EXPECT_EQ(job.value(QStringLiteral("percent")).toInt(), 100);
    const qint64 item = job.value(QStringLiteral("result")).toObject().value(QStringLiteral("item")).toInteger();
    EXPECT_GT(item, 0);
    const QJsonObject output = job.value(QStringLiteral("output")).toObject();
    EXPECT_EQ(output.value(QStringLiteral("name")).toString(), QStringLiteral("名单.txt"));
    EXPECT_EQ(output.value(QStringLiteral("bytes")).toInt(), QByteArray::number(item).size());

    auto file = c.get(output.value(QStringLiteral("href")).toString().toUtf8());
    ASSERT_EQ(file.status, 200);
    EXPECT_EQ(file.body, QByteArray::number(item));
    EXPECT_EQ(file.header("Content-Type"), "text/plain; charset=utf-8");
    EXPECT_EQ(file.header("Content-Disposition"), "attachment; filename=\"__.txt\"; filename*=UTF-8''%E5%90%8D%E5%8D%95.txt");

    // The row the job wrote is in the audit log as the owner's, from the plugin.
    auto audit = c.get("/api/v1/audit?table=fx_jobs_items");
    ASSERT_EQ(audit.status, 200);
    const auto items = audit.json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(items.size(), 1);
    EXPECT_EQ(items[0].toObject().value(QStringLiteral("username")).toString(), QStringLiteral("admin"));
    EXPECT_EQ(items[0].toObject().value(QStringLiteral("pluginId")).toString(), QStringLiteral("fx.jobs"));
}

TEST_F(Jobs, OthersSeeNeitherTheJobNorItsOutputUnlessTheyMaySeeAllJobs) {
    auto c = host->client();
    const QByteArray href = start(c, "write");
    waitForJob(c, href);
    const qint64 root = host->app().units().ensureRoot(QStringLiteral("t"))->id;

    HttpClient other = host->anonymousClient();
    other.setDefaultHeader("Authorization", "Bearer " + host->userToken(QStringLiteral("other"), QStringLiteral("admin"), QStringLiteral("unit"), root));
    HttpClient clerk = host->anonymousClient();
    clerk.setDefaultHeader("Authorization", "Bearer " + host->userToken(QStringLiteral("clerk"), {}, {}, root));
    EXPECT_EQ(clerk.get(href).status, 404);
    EXPECT_EQ(clerk.get(href + "/output").status, 404);
    EXPECT_EQ(clerk.request("POST", href + "/cancel").status, 404);
    EXPECT_EQ(clerk.get("/api/v1/jobs").json().value(QStringLiteral("items")).toArray().size(), 0);
    EXPECT_EQ(clerk.get("/api/v1/jobs?all=1").status, 403);
    // An administrator (holds core.jobs.all) sees everyone's.
    EXPECT_EQ(other.get(href).status, 200);
    EXPECT_EQ(other.get(href + "/output").status, 404) << "the file holds the owner's data: only the owner downloads it";
    EXPECT_EQ(other.get("/api/v1/jobs?all=1").json().value(QStringLiteral("items")).toArray().size(), 1);
    EXPECT_EQ(other.get("/api/v1/jobs").json().value(QStringLiteral("items")).toArray().size(), 0);
    // The owner's list has it; ids that are no job, or no id at all, are 404.
    EXPECT_EQ(c.get("/api/v1/jobs").json().value(QStringLiteral("items")).toArray().size(), 1);
    EXPECT_EQ(c.get("/api/v1/jobs/nosuchjob123").status, 404);
    EXPECT_EQ(c.get("/api/v1/jobs/..%2F..%2Fetc").status, 404);
    EXPECT_EQ(c.get("/api/v1/jobs?all=yes").status, 422);
    EXPECT_EQ(host->anonymousClient().get(href).status, 401);
}

TEST(JobsRecovery, JobsLeftRunningByAStoppedHostAreMarkedInterrupted) {
    QString config;
    {
        RunningHost first({fixturePluginDir()}, {{QStringLiteral("fx.jobs"), {}}});
        config = first.configPath();
        // As a process that died mid-job would leave it.
        ASSERT_TRUE(first.app().store().execute(QStringLiteral(
            "INSERT INTO core_jobs(id, plugin_id, kind, title, owner_id, owner_name, state, created_at) "
            "VALUES ('leftover-job-1', 'fx.jobs', 'wait', 'left over', 1, 'admin', 'running', '2026-01-01T00:00:00.000Z')")));
        first.stop();
        // Keep the database: reopen the same deployment below.
        RunningHost second(config);
        auto c = second.client();
        auto job = c.get("/api/v1/jobs/leftover-job-1");
        ASSERT_EQ(job.status, 200) << job.body.toStdString();
        EXPECT_EQ(job.json().value(QStringLiteral("state")).toString(), QStringLiteral("interrupted"));
        EXPECT_EQ(job.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(), QStringLiteral("job.interrupted"));
    }
}

TEST(JobsShutdown, StoppingTheHostCancelsARunningJob) {
    QString config;
    QByteArray href;
    {
        RunningHost host({fixturePluginDir()}, {{QStringLiteral("fx.jobs"), {}}});
        config = host.configPath();
        auto c = host.client();
        auto r = c.request("POST", "/api/v1/fx.jobs/jobs/wait");
        ASSERT_EQ(r.status, 202);
        href = r.json().value(QStringLiteral("href")).toString().toUtf8();
        for (int i = 0; i < 2000 && c.get(href).json().value(QStringLiteral("state")).toString() != QLatin1String("running"); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        host.stop();
        RunningHost again(config);
        auto job = again.client().get(href);
        ASSERT_EQ(job.status, 200);
        EXPECT_EQ(job.json().value(QStringLiteral("state")).toString(), QStringLiteral("cancelled"));
    }
}
