#include "demo_data.hpp"

#include "citizen_id.hpp"
#include "member.hpp"

#include <QRandomGenerator64>

#include <cmath>
#include <numeric>
#include <vector>

namespace party::daily {

namespace {

const QStringList kSurnames = QStringLiteral("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 董 袁 潘 于 蒋 蔡").split(QLatin1Char(' '));
const QString kGiven = QStringLiteral("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅海燕鹏飞晓东宇轩雪琳子涵浩然思远嘉欣");
const QString kPlaceSyllables = QStringLiteral("青山东风南湖北岭西河新华长宁安平和顺金沙白云红星永丰光明建设朝阳胜利黎明");
// Area codes of real districts (first 6 digits of an ID number).
const QStringList kAreas = QStringLiteral("110101 110105 310101 310115 440103 440106 510104 510107 320102 330102 420102 610102 "
                                          "370102 210102 120101 500103 430102 350102 410102 130102")
                               .split(QLatin1Char(' '));
// Education codes and how common they are among members (per mille).
const std::vector<std::pair<QString, int>> kEducation{{QStringLiteral("14"), 60},  {QStringLiteral("21"), 330}, {QStringLiteral("31"), 230},
                                                      {QStringLiteral("41"), 90},  {QStringLiteral("61"), 140}, {QStringLiteral("71"), 120},
                                                      {QStringLiteral("81"), 30}};

class Demo {
public:
    Demo(const tessera::DemoScale& scale, tessera::Context& ctx) : scale_(scale), ctx_(ctx), rng_(scale.seed) {}

    tessera::Result<QString> run(qint64 rootUnitId) {
        for (const char* table : {"party_orgs", "party_members", "party_applicants"}) {
            auto n = ctx_.database().queryOne(QStringLiteral("SELECT count(*) AS n FROM %1").arg(QLatin1String(table)));
            if (!n) return n.error();
            if (n->value(QStringLiteral("n")).toLongLong() > 0)
                return tessera::Error{QStringLiteral("demo.not_empty"),
                                      QStringLiteral("party.daily already has data (%1); sample data goes only into an empty deployment")
                                          .arg(QLatin1String(table))};
        }
        today_ = ctx_.clock().now().date();
        if (auto s = buildTree(rootUnitId); !s) return s.error();
        if (auto s = addMembers(); !s) return s.error();
        return QStringLiteral("%1 organisations (%2 branches), %3 members").arg(organisations_).arg(branches_.size()).arg(members_);
    }

private:
    QString personName() {
        QString name = kSurnames.at(static_cast<qsizetype>(rng_.bounded(static_cast<quint64>(kSurnames.size()))));
        const int given = rng_.bounded(4) == 0 ? 1 : 2;
        for (int i = 0; i < given; ++i) name += kGiven.at(static_cast<qsizetype>(rng_.bounded(static_cast<quint64>(kGiven.size()))));
        return name;
    }
    QString placeName() {
        QString name;
        for (int i = 0; i < 2; ++i) name += kPlaceSyllables.at(static_cast<qsizetype>(rng_.bounded(static_cast<quint64>(kPlaceSyllables.size()))));
        return name;
    }
    QDate randomDate(const QDate& from, const QDate& to) {
        const qint64 days = std::max<qint64>(0, from.daysTo(to));
        return from.addDays(static_cast<qint64>(rng_.bounded(static_cast<quint64>(days + 1))));
    }

    // Units per level: level 0 is one top organisation, the last level the branches (党支部),
    // growing by one factor per level so that they add up to the organisations asked for.
    std::vector<qint64> levelSizes() const {
        const qint64 total = std::max<qint64>(1, scale_.organisations);
        const int depth = static_cast<int>(std::clamp<qint64>(scale_.depth, 1, total));  // at least one unit a level
        if (depth == 1) return {total};
        double lo = 1.0, hi = static_cast<double>(total);
        for (int i = 0; i < 60; ++i) {
            const double f = (lo + hi) / 2;
            double sum = 0, level = 1;
            for (int k = 0; k < depth; ++k, level *= f) sum += level;
            (sum > static_cast<double>(total) ? hi : lo) = f;
        }
        std::vector<qint64> sizes;
        qint64 sum = 0;
        for (int k = 0; k < depth - 1; ++k) {
            const qint64 n = std::max<qint64>(1, std::llround(std::pow(lo, k)));
            sizes.push_back(n);
            sum += n;
        }
        sizes.push_back(std::max(sizes.back(), total - sum));
        return sizes;
    }

    tessera::Status buildTree(qint64 rootUnitId) {
        static const QStringList suffix{QStringLiteral("省委"), QStringLiteral("市委"), QStringLiteral("县委"), QStringLiteral("镇党委"),
                                        QStringLiteral("党总支")};
        const auto sizes = levelSizes();
        std::vector<std::pair<qint64, QString>> parents{{rootUnitId, QString()}};  // unit id, short name
        const QString now = ctx_.clock().now().toString(Qt::ISODateWithMs);
        for (std::size_t level = 0; level < sizes.size(); ++level) {
            const bool branches = level + 1 == sizes.size();
            std::vector<std::pair<qint64, QString>> made;
            std::vector<int> childNumber(parents.size(), 0);
            for (qint64 j = 0; j < sizes[level]; ++j) {
                const std::size_t p = static_cast<std::size_t>(j * static_cast<qint64>(parents.size()) / sizes[level]);
                const auto& [parentId, parentName] = parents[p];
                const int number = ++childNumber[p];
                const QString shortName = branches ? QStringLiteral("第%1党支部").arg(number)
                                                   : placeName() + suffix.at(std::min<qsizetype>(static_cast<qsizetype>(level), suffix.size() - 1));
                const QString fullName = branches ? QStringLiteral("中共%1%2").arg(parentName, shortName) : QStringLiteral("中共%1").arg(shortName);
                const QString code = QStringLiteral("D%1").arg(++organisations_, 7, 10, QLatin1Char('0'));
                auto unit = ctx_.units().create(parentId, shortName, code);
                if (!unit) return unit.error();
                const QString type = branches ? QStringLiteral("branch")
                                     : level + 2 == sizes.size() && sizes.size() > 2 ? QStringLiteral("general-branch")
                                                                                     : QStringLiteral("committee");
                auto w = ctx_.database().execute(
                    QStringLiteral("INSERT INTO party_orgs(id, unit_id, full_name, short_name, code, org_type, setup_date, secretary, phone, "
                                   "full_name_sort, status, created_at, updated_at) VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'normal', ?10, ?10)"),
                    {unit->id, fullName, shortName, code, type, randomDate(QDate(1950, 1, 1), QDate(2020, 12, 31)).toString(Qt::ISODate),
                     personName(), QStringLiteral("0%1-%2").arg(10 + rng_.bounded(90)).arg(60000000 + rng_.bounded(30000000)),
                     ctx_.sortKey(fullName), now});
                if (!w) return w.error();
                made.emplace_back(unit->id, shortName);
                if (branches) branches_.push_back(unit->id);
            }
            parents = std::move(made);
        }
        return {};
    }

    // ID numbers are unique by construction: member i gets the i-th value of a permutation
    // of (area, birth day, sequence), so no two share one.
    tessera::Status addMembers() {
        const QDate firstBirth(1940, 1, 1), lastBirth = today_.addYears(-19);
        const quint64 areas = static_cast<quint64>(kAreas.size());
        const quint64 days = static_cast<quint64>(firstBirth.daysTo(lastBirth)) + 1;
        const quint64 space = areas * days * 1000;
        quint64 step = 1'000'003;
        while (std::gcd(step, space) != 1) step += 2;
        const quint64 offset = rng_.bounded(space);
        auto insert = ctx_.database().prepare(QStringLiteral(
            "INSERT INTO party_members(unit_id, name, name_sort, id_number, gender, birth_date, ethnicity, education, category, join_date, "
            "full_date, probation_ends, status, phone, created_at, updated_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'normal', ?13, ?14, ?14)"));
        if (!insert) return insert.error();
        const QString now = ctx_.clock().now().toString(Qt::ISODateWithMs);
        for (qint64 i = 0; i < scale_.people; ++i) {
            const quint64 x = (static_cast<quint64>(i) * step + offset) % space;
            const QDate birth = firstBirth.addDays(static_cast<qint64>((x / areas) % days));
            const QString first17 = kAreas.at(static_cast<qsizetype>(x % areas)) + birth.toString(QStringLiteral("yyyyMMdd")) +
                                    QStringLiteral("%1").arg(x / (areas * days), 3, 10, QLatin1Char('0'));
            const QString id = first17 + citizenIdCheckDigit(first17);
            const bool male = (first17.at(16).unicode() - '0') % 2 == 1;
            const QDate joined = randomDate(birth.addYears(18), std::min(today_, birth.addYears(58)));
            const bool probationary = probationEnds(joined) > today_;  // the probation year has not ended
            const QString name = personName();
            int education = static_cast<int>(rng_.bounded(1000));
            QString educationCode = kEducation.back().first;
            for (const auto& [code, share] : kEducation) {
                if (education < share) {
                    educationCode = code;
                    break;
                }
                education -= share;
            }
            const QString ethnicity = rng_.bounded(100) < 91 ? QStringLiteral("01") : QStringLiteral("%1").arg(2 + rng_.bounded(55), 2, 10, QLatin1Char('0'));
            const tessera::Params values{branches_[static_cast<std::size_t>(rng_.bounded(static_cast<quint64>(branches_.size())))],
                                         name,
                                         ctx_.sortKey(name),
                                         id,
                                         male ? QStringLiteral("1") : QStringLiteral("2"),
                                         birth.toString(Qt::ISODate),
                                         ethnicity,
                                         educationCode,
                                         probationary ? QStringLiteral("probationary") : QStringLiteral("formal"),
                                         joined.toString(Qt::ISODate),
                                         probationary ? QVariant() : QVariant(probationEnds(joined).toString(Qt::ISODate)),
                                         probationEnds(joined).toString(Qt::ISODate),
                                         QStringLiteral("13%1").arg(100000000 + rng_.bounded(900000000)),
                                         now};
            for (std::size_t k = 0; k < values.size(); ++k)
                if (auto s = (*insert)->bind(static_cast<int>(k) + 1, values[k]); !s) return s;
            if (auto done = (*insert)->step(); !done) return done.error();
            (*insert)->reset();
            ++members_;
        }
        return {};
    }

    const tessera::DemoScale& scale_;
    tessera::Context& ctx_;
    QRandomGenerator64 rng_;
    QDate today_;
    qint64 organisations_ = 0;
    qint64 members_ = 0;
    std::vector<qint64> branches_;
};

}  // namespace

tessera::Result<QString> makeDemoData(const tessera::DemoScale& scale, qint64 rootUnitId, tessera::Context& ctx) {
    return Demo(scale, ctx).run(rootUnitId);
}

}  // namespace party::daily
