// party.dues over real HTTP: the official brackets at every bound, in exact fen; payments by
// month with their rules (a base first, the exact amount, never twice, not in advance unless
// by the quarter with the branch's consent, a warning for long back payment); a new base
// applies from the month it is first paid; the member card shows what is due and paid.

#include "dues_test_support.hpp"

#include <QDate>
#include <QJsonArray>

namespace {

using party::daily::test::memberJson;
using tessera::test::fieldsOf;
using tessera::test::HttpClient;
using tessera::test::HttpReply;
using tessera::test::ifMatch;

QString month(int fromThis) {
    const QDate d = QDate::currentDate().addMonths(fromThis);
    return d.toString(QStringLiteral("yyyy-MM"));
}

class Dues : public ::testing::Test {
protected:
    void SetUp() override {
        host = party::daily::test::hostWith({QStringLiteral("party.daily"), QStringLiteral("party.dues")});
        admin = std::make_unique<HttpClient>(host->client());
        auto& units = host->app().units();
        root = units.ensureRoot(QStringLiteral("t"))->id;
        branch = units.create(root, QStringLiteral("第一党支部"))->id;
        other = units.create(root, QStringLiteral("北区党支部"))->id;
        party::dues::test::addTreasurerRole(*admin);
        clerk = user(QStringLiteral("sec-a"), branch);
        outsider = user(QStringLiteral("sec-n"), other);
    }

    std::unique_ptr<HttpClient> user(const QString& name, qint64 unit) {
        return party::daily::test::userClient(*host, name, QStringLiteral("treasurer"), QStringLiteral("unit"), unit, "zh-CN");
    }

    qint64 member(const QString& name, int n, QJsonObject more = {}) {
        QJsonObject body = memberJson(name, branch, QStringLiteral("19800101"), QString::number(100 + n));
        for (auto it = more.begin(); it != more.end(); ++it) body.insert(it.key(), it.value());
        auto r = admin->send("POST", "/api/v1/party.daily/members", body);
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }

    HttpReply base(qint64 memberId, const QString& category, const QString& from, QJsonObject more = {}) {
        more.insert(QStringLiteral("memberId"), memberId);
        more.insert(QStringLiteral("category"), category);
        more.insert(QStringLiteral("fromMonth"), from);
        return clerk->send("POST", "/api/v1/party.dues/profiles", more);
    }

    HttpReply pay(qint64 memberId, const QString& from, const QString& to, const QString& amount) {
        return clerk->send("POST", "/api/v1/party.dues/payments",
                           QJsonObject{{QStringLiteral("memberId"), memberId},
                                       {QStringLiteral("fromMonth"), from},
                                       {QStringLiteral("toMonth"), to},
                                       {QStringLiteral("amount"), amount},
                                       {QStringLiteral("paidOn"), QDate::currentDate().toString(Qt::ISODate)},
                                       {QStringLiteral("method"), QStringLiteral("cash")}});
    }

    std::unique_ptr<tessera::test::RunningHost> host;
    std::unique_ptr<HttpClient> admin, clerk, outsider;
    qint64 root = 0, branch = 0, other = 0;
};

}  // namespace

TEST_F(Dues, TheBracketsAtEveryBoundInExactFen) {
    struct Case {
        const char* category;
        const char* base;
        const char* rate;
        const char* monthly;
    };
    const Case cases[] = {
        {"employed", "2999.99", "0.5", "15.00"},  // 14.99995 rounds half up to the fen
        {"employed", "3000.00", "0.5", "15.00"},  // a bound belongs to the lower bracket
        {"employed", "3000.01", "1.0", "30.00"},
        {"employed", "5000.00", "1.0", "50.00"},
        {"employed", "5000.01", "1.5", "75.00"},
        {"employed", "10000.00", "1.5", "150.00"},
        {"employed", "10000.01", "2.0", "200.00"},
        {"self-employed", "4000", "1.0", "40.00"},
        {"annual-salary", "12345.67", "2.0", "246.91"},
        {"retired", "5000.00", "0.5", "25.00"},
        {"retired", "5000.01", "1.0", "50.00"},
        {"employed", "0.99", "0.5", "0.00"},
        {"employed", "1.00", "0.5", "0.01"},  // 0.005 rounds half up
    };
    int n = 0;
    for (const Case& c : cases) {
        const qint64 m = member(QStringLiteral("党员%1").arg(n), n);
        ++n;
        auto made = base(m, QString::fromLatin1(c.category), month(-1), {{QStringLiteral("base"), QString::fromLatin1(c.base)}});
        ASSERT_EQ(made.status, 201) << c.base << ": " << made.body.toStdString();
        EXPECT_EQ(made.json().value(QStringLiteral("ratePercent")).toString(), QString::fromLatin1(c.rate)) << c.category << " " << c.base;
        EXPECT_EQ(made.json().value(QStringLiteral("monthly")).toString(), QString::fromLatin1(c.monthly)) << c.category << " " << c.base;
    }
    // Fixed amounts: a farmer's chosen 0.20 to 1.00 yuan, 0.20 for students and the unemployed.
    auto farmer = base(member(QStringLiteral("农民"), 50), QStringLiteral("farmer"), month(-1),
                       {{QStringLiteral("fixedAmount"), QStringLiteral("0.50")}});
    ASSERT_EQ(farmer.status, 201) << farmer.body.toStdString();
    EXPECT_EQ(farmer.json().value(QStringLiteral("monthly")).toString(), QStringLiteral("0.50"));
    EXPECT_TRUE(farmer.json().value(QStringLiteral("ratePercent")).isNull());
    const qint64 student = member(QStringLiteral("学生"), 51);
    EXPECT_EQ(fieldsOf(base(student, QStringLiteral("farmer"), month(-1), {{QStringLiteral("fixedAmount"), QStringLiteral("1.50")}})),
              QStringList{QStringLiteral("fixedAmount")});
    EXPECT_EQ(fieldsOf(base(student, QStringLiteral("student"), month(-1), {{QStringLiteral("base"), QStringLiteral("800")}})),
              QStringList{QStringLiteral("base")});
    EXPECT_EQ(fieldsOf(base(student, QStringLiteral("employed"), month(-1))), QStringList{QStringLiteral("base")});
    EXPECT_EQ(fieldsOf(base(student, QStringLiteral("employed"), month(-1), {{QStringLiteral("base"), QStringLiteral("3000.001")}})),
              QStringList{QStringLiteral("base")})
        << "money has two digits after the point";
    auto pays = base(student, QStringLiteral("student"), month(-1));
    ASSERT_EQ(pays.status, 201) << pays.body.toStdString();
    EXPECT_EQ(pays.json().value(QStringLiteral("monthly")).toString(), QStringLiteral("0.20"));
}

TEST_F(Dues, PaymentsAreExactMonthsOnceNotInAdvanceAndANewBaseAppliesFromItsFirstUnpaidMonth) {
    const qint64 m = member(QStringLiteral("张三"), 1);
    EXPECT_EQ(fieldsOf(pay(m, month(-2), month(-1), QStringLiteral("80.00"))), QStringList{QStringLiteral("fromMonth")}) << "no base yet";
    ASSERT_EQ(base(m, QStringLiteral("employed"), month(-8), {{QStringLiteral("base"), QStringLiteral("4000")}}).status, 201);

    // Eight months back at once: saved, with a warning.
    auto wrong = pay(m, month(-8), month(-1), QStringLiteral("300.00"));
    EXPECT_EQ(fieldsOf(wrong), QStringList{QStringLiteral("amount")});
    EXPECT_TRUE(wrong.body.contains(QStringLiteral("应交320.00元，本次登记为300.00元").toUtf8())) << wrong.body.toStdString();
    auto back = pay(m, month(-8), month(-1), QStringLiteral("320.00"));
    ASSERT_EQ(back.status, 201) << back.body.toStdString();
    EXPECT_EQ(back.json().value(QStringLiteral("expected")).toString(), QStringLiteral("320.00"));
    const QJsonArray warnings = back.json().value(QStringLiteral("warnings")).toArray();
    ASSERT_EQ(warnings.size(), 1) << back.body.toStdString();
    EXPECT_EQ(warnings[0].toObject().value(QStringLiteral("message")).toString(), QStringLiteral("补交8个月；补交一般不超过6个月"));
    // Never twice.
    auto twice = pay(m, month(-1), month(0), QStringLiteral("80.00"));
    EXPECT_EQ(fieldsOf(twice), QStringList{QStringLiteral("fromMonth")});
    // Not in advance without the branch's consent to pay by the quarter.
    auto ahead = pay(m, month(0), month(1), QStringLiteral("80.00"));
    EXPECT_EQ(fieldsOf(ahead), QStringList{QStringLiteral("toMonth")}) << ahead.body.toStdString();

    // A new base applies from the month it is first paid: not to months paid already.
    auto late = base(m, QStringLiteral("employed"), month(-1), {{QStringLiteral("base"), QStringLiteral("6000")}});
    EXPECT_EQ(fieldsOf(late), QStringList{QStringLiteral("fromMonth")});
    EXPECT_TRUE(late.body.contains(QStringLiteral("党费已交至%1；新基数最早自%2起执行").arg(month(-1), month(0)).toUtf8()))
        << late.body.toStdString();
    auto raised = base(m, QStringLiteral("employed"), month(0),
                       {{QStringLiteral("base"), QStringLiteral("6000")}, {QStringLiteral("quarterly"), true}});
    ASSERT_EQ(raised.status, 201) << raised.body.toStdString();
    EXPECT_EQ(raised.json().value(QStringLiteral("monthly")).toString(), QStringLiteral("90.00"));
    // The old base, paid at, stays as it was.
    const QJsonArray bases =
        clerk->get("/api/v1/party.dues/profiles?fromMonth=" + month(-8).toUtf8()).json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(bases.size(), 1);
    QJsonObject old = bases[0].toObject();
    old.insert(QStringLiteral("base"), QStringLiteral("4500"));
    EXPECT_EQ(fieldsOf(clerk->send("PUT", "/api/v1/party.dues/profiles/" + QByteArray::number(old.value(QStringLiteral("id")).toInteger()),
                                   old, ifMatch(1))),
              QStringList{QStringLiteral("fromMonth")});

    // By the quarter with the branch's consent: to the quarter's end, not beyond.
    const QDate today = QDate::currentDate();
    const int left = 2 - (today.month() - 1) % 3;  // months of this quarter after this one
    auto quarter = pay(m, month(0), month(left), QString::number(90 * (left + 1)) + QStringLiteral(".00"));
    ASSERT_EQ(quarter.status, 201) << quarter.body.toStdString();
    auto beyond = pay(m, month(left + 1), month(left + 1), QStringLiteral("90.00"));
    EXPECT_EQ(fieldsOf(beyond), QStringList{QStringLiteral("toMonth")}) << beyond.body.toStdString();

    // A probationary member pays from the month the branch meeting admitted them.
    const qint64 newcomer = member(QStringLiteral("李四"), 2,
                                   {{QStringLiteral("category"), QStringLiteral("probationary")},
                                    {QStringLiteral("joinDate"), today.addMonths(-2).toString(Qt::ISODate)},
                                    {QStringLiteral("fullDate"), QJsonValue()}});
    auto early = base(newcomer, QStringLiteral("student"), month(-3));
    EXPECT_EQ(fieldsOf(early), QStringList{QStringLiteral("fromMonth")});
    EXPECT_EQ(base(newcomer, QStringLiteral("student"), month(-2)).status, 201);

    // The member card shows it; another branch sees nothing of it.
    auto sections = clerk->get("/api/v1/cards/party.daily/member/" + QByteArray::number(m) + "/sections");
    EXPECT_TRUE(sections.body.contains(QStringLiteral("党费交至").toUtf8()) && sections.body.contains(month(left).toUtf8()) &&
                sections.body.contains(QStringLiteral("90.00元（自%1起）").arg(month(0)).toUtf8()))
        << sections.body.toStdString();
    EXPECT_EQ(outsider->get("/api/v1/party.dues/payments").json().value(QStringLiteral("total")).toInteger(), 0);
    EXPECT_EQ(
        outsider->get("/api/v1/party.dues/payments/" + QByteArray::number(back.json().value(QStringLiteral("id")).toInteger())).status,
        404);
    auto foreign = outsider->send("POST", "/api/v1/party.dues/payments",
                                  QJsonObject{{QStringLiteral("memberId"), m},
                                              {QStringLiteral("fromMonth"), month(1)},
                                              {QStringLiteral("toMonth"), month(1)},
                                              {QStringLiteral("amount"), QStringLiteral("90.00")},
                                              {QStringLiteral("paidOn"), today.toString(Qt::ISODate)},
                                              {QStringLiteral("method"), QStringLiteral("cash")}});
    EXPECT_EQ(fieldsOf(foreign), (QStringList{QStringLiteral("unitId"), QStringLiteral("memberId")})) << foreign.body.toStdString();
    EXPECT_FALSE(foreign.body.contains(QStringLiteral("第一党支部").toUtf8())) << "nothing about where the member is";
}

TEST_F(Dues, ReducedAndExemptMonthsAreDueLessOrNothingAndLargeDuesStayApart) {
    const qint64 m = member(QStringLiteral("王五"), 3);
    ASSERT_EQ(base(m, QStringLiteral("retired"), month(-6), {{QStringLiteral("base"), QStringLiteral("6000")}}).status,
              201);  // 60.00 a month
    auto exemption = [&](const QString& kind, const QString& from, const QString& to, QJsonObject more = {}) {
        more.insert(QStringLiteral("memberId"), m);
        more.insert(QStringLiteral("kind"), kind);
        more.insert(QStringLiteral("fromMonth"), from);
        more.insert(QStringLiteral("toMonth"), to);
        if (!more.contains(QStringLiteral("reason"))) more.insert(QStringLiteral("reason"), QStringLiteral("生活困难"));
        if (!more.contains(QStringLiteral("decidedOn")))
            more.insert(QStringLiteral("decidedOn"), QDate::currentDate().addDays(-20).toString(Qt::ISODate));
        if (!more.contains(QStringLiteral("approvedBy"))) more.insert(QStringLiteral("approvedBy"), QStringLiteral("机关党委"));
        if (!more.contains(QStringLiteral("approvedOn")))
            more.insert(QStringLiteral("approvedOn"), QDate::currentDate().addDays(-10).toString(Qt::ISODate));
        return clerk->send("POST", "/api/v1/party.dues/exemptions", more);
    };
    // Approved after the branch decided; a reduction names a smaller amount; an exemption none.
    auto backwards = exemption(QStringLiteral("exempt"), month(-6), month(-5),
                               {{QStringLiteral("approvedOn"), QDate::currentDate().addDays(-30).toString(Qt::ISODate)}});
    EXPECT_EQ(fieldsOf(backwards), QStringList{QStringLiteral("approvedOn")});
    EXPECT_EQ(fieldsOf(exemption(QStringLiteral("reduce"), month(-4), month(-3))), QStringList{QStringLiteral("reducedAmount")});
    EXPECT_EQ(
        fieldsOf(exemption(QStringLiteral("reduce"), month(-4), month(-3), {{QStringLiteral("reducedAmount"), QStringLiteral("60.00")}})),
        QStringList{QStringLiteral("reducedAmount")})
        << "not less than what is due";
    EXPECT_EQ(
        fieldsOf(exemption(QStringLiteral("exempt"), month(-6), month(-5), {{QStringLiteral("reducedAmount"), QStringLiteral("1.00")}})),
        QStringList{QStringLiteral("reducedAmount")});
    ASSERT_EQ(exemption(QStringLiteral("exempt"), month(-6), month(-5)).status, 201);
    ASSERT_EQ(
        exemption(QStringLiteral("reduce"), month(-4), month(-3), {{QStringLiteral("reducedAmount"), QStringLiteral("10.00")}}).status,
        201);
    EXPECT_EQ(fieldsOf(exemption(QStringLiteral("exempt"), month(-3), month(-2))), QStringList{QStringLiteral("fromMonth")}) << "overlaps";

    // Six months: two exempt (0), two reduced (10.00), two at the base (60.00) = 140.00.
    auto paid = pay(m, month(-6), month(-1), QStringLiteral("140.00"));
    ASSERT_EQ(paid.status, 201) << paid.body.toStdString();
    EXPECT_EQ(paid.json().value(QStringLiteral("expected")).toString(), QStringLiteral("140.00"));
    // Months paid are not exempted afterwards.
    EXPECT_EQ(fieldsOf(exemption(QStringLiteral("exempt"), month(-1), month(0))), QStringList{QStringLiteral("fromMonth")});

    // Voluntary large dues: 1000 yuan or more, apart from the ordinary payments.
    auto large = [&](const QString& amount, QJsonObject more = {}) {
        more.insert(QStringLiteral("memberId"), m);
        more.insert(QStringLiteral("amount"), amount);
        more.insert(QStringLiteral("paidOn"), QDate::currentDate().toString(Qt::ISODate));
        return clerk->send("POST", "/api/v1/party.dues/large", more);
    };
    EXPECT_EQ(fieldsOf(large(QStringLiteral("999.99"))), QStringList{QStringLiteral("amount")});
    EXPECT_EQ(fieldsOf(large(QStringLiteral("5000.00"),
                             {{QStringLiteral("remittedOn"), QDate::currentDate().addDays(-1).toString(Qt::ISODate)}})),
              QStringList{QStringLiteral("remittedOn")});
    ASSERT_EQ(large(QStringLiteral("5000.00")).status, 201);
    EXPECT_EQ(clerk->get("/api/v1/party.dues/payments").json().value(QStringLiteral("total")).toInteger(), 1) << "not an ordinary payment";
}

// Arrears on a day two months ahead (the reminders' and the list's date, as a clock would
// give it), across a year's end when run in its last quarter: six months unpaid in a row are
// arrears; exempt months, months before the first base and before the branch's start are not.
TEST_F(Dues, SixMonthsUnpaidInARowAreArrearsExceptExemptAndBeforeTheBranchsStart) {
    const QDate ahead = QDate(QDate::currentDate().year(), QDate::currentDate().month(), 1).addMonths(2).addDays(9);
    const QByteArray on = ahead.toString(Qt::ISODate).toUtf8();
    const qint64 east = host->app().units().create(root, QStringLiteral("东区党支部"))->id;
    auto withBase = [&](const QString& name, int n, qint64 unit = 0) {
        QJsonObject more;
        if (unit) more.insert(QStringLiteral("unitId"), unit);
        const qint64 id = member(name, n, more);
        auto made = admin->send("POST", "/api/v1/party.dues/profiles",
                                QJsonObject{{QStringLiteral("memberId"), id},
                                            {QStringLiteral("category"), QStringLiteral("student")},
                                            {QStringLiteral("fromMonth"), month(-9)}});
        EXPECT_EQ(made.status, 201) << made.body.toStdString();
        return id;
    };
    auto paid = [&](qint64 id, int to) {
        const int months = to + 10;
        auto r = pay(id, month(-9), month(to), tessera::formatDecimal(20 * months, 2));
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
    };
    const qint64 behind = withBase(QStringLiteral("欠交甲"), 1);
    paid(behind, -5);  // unpaid from month(-4) to month(+1): six
    paid(withBase(QStringLiteral("按时乙"), 2), 0);
    paid(withBase(QStringLiteral("五个月丙"), 3), -4);  // five
    const qint64 exempt = withBase(QStringLiteral("免交丁"), 4);
    auto exemption = clerk->send("POST", "/api/v1/party.dues/exemptions",
                                 QJsonObject{{QStringLiteral("memberId"), exempt},
                                             {QStringLiteral("kind"), QStringLiteral("exempt")},
                                             {QStringLiteral("fromMonth"), month(-9)},
                                             {QStringLiteral("toMonth"), month(-3)},
                                             {QStringLiteral("reason"), QStringLiteral("生活困难")},
                                             {QStringLiteral("decidedOn"), QDate::currentDate().toString(Qt::ISODate)},
                                             {QStringLiteral("approvedBy"), QStringLiteral("机关党委")},
                                             {QStringLiteral("approvedOn"), QDate::currentDate().toString(Qt::ISODate)}});
    ASSERT_EQ(exemption.status, 201) << exemption.body.toStdString();
    // A reduction (少交) is still due: months of it unpaid are arrears like any other.
    const qint64 reduced = withBase(QStringLiteral("少交庚"), 7);
    auto reduction = clerk->send("POST", "/api/v1/party.dues/exemptions",
                                 QJsonObject{{QStringLiteral("memberId"), reduced},
                                             {QStringLiteral("kind"), QStringLiteral("reduce")},
                                             {QStringLiteral("reducedAmount"), QStringLiteral("0.10")},
                                             {QStringLiteral("fromMonth"), month(-9)},
                                             {QStringLiteral("toMonth"), month(-3)},
                                             {QStringLiteral("reason"), QStringLiteral("收入减少")},
                                             {QStringLiteral("decidedOn"), QDate::currentDate().toString(Qt::ISODate)},
                                             {QStringLiteral("approvedBy"), QStringLiteral("机关党委")},
                                             {QStringLiteral("approvedOn"), QDate::currentDate().toString(Qt::ISODate)}});
    ASSERT_EQ(reduction.status, 201) << reduction.body.toStdString();
    withBase(QStringLiteral("东区戊"), 5, east);  // never paid, but east records dues only from month(-2)
    auto start = admin->send("POST", "/api/v1/party.dues/starts",
                             QJsonObject{{QStringLiteral("unitId"), east}, {QStringLiteral("startMonth"), month(-2)}});
    ASSERT_EQ(start.status, 201) << start.body.toStdString();
    EXPECT_EQ(fieldsOf(admin->send("POST", "/api/v1/party.dues/starts",
                                   QJsonObject{{QStringLiteral("unitId"), east}, {QStringLiteral("startMonth"), month(-1)}})),
              QStringList{QStringLiteral("unitId")})
        << "one start per branch";
    member(QStringLiteral("无基数己"), 6);  // no base: nothing is due

    auto list = clerk->get("/api/v1/party.dues/arrears?date=" + on);
    ASSERT_EQ(list.status, 200) << list.body.toStdString();
    const QJsonArray items = list.json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(items.size(), 2) << list.body.toStdString();
    EXPECT_EQ(items[0].toObject().value(QStringLiteral("label")).toString(), QStringLiteral("少交庚（第一党支部）"));
    EXPECT_EQ(items[0].toObject().value(QStringLiteral("value")).toInteger(), 11);
    EXPECT_EQ(items[1].toObject().value(QStringLiteral("label")).toString(), QStringLiteral("欠交甲（第一党支部）"));
    EXPECT_EQ(items[1].toObject().value(QStringLiteral("value")).toInteger(), 6);
    EXPECT_EQ(admin->get("/api/v1/party.dues/arrears?date=" + on).json().value(QStringLiteral("total")).toInteger(), 2);
    EXPECT_EQ(clerk->get("/api/v1/party.dues/arrears").json().value(QStringLiteral("total")).toInteger(), 1) << "欠交甲 not yet today";
    EXPECT_EQ(outsider->get("/api/v1/party.dues/arrears?date=" + on).json().value(QStringLiteral("total")).toInteger(), 0);
    QStringList texts;
    for (const auto& r : clerk->get("/api/v1/reminders?date=" + on).json().value(QStringLiteral("items")).toArray())
        texts << r.toObject().value(QStringLiteral("text")).toString();
    EXPECT_TRUE(texts.contains(QStringLiteral("2名党员连续6个月以上未交纳党费"))) << texts.join(u'|').toStdString();
}
