// party.elections (换届选举): the committee term and post cards are declared in manifest.xml
// and served by the host (docs/records.md). This library adds the rules (election_rules.hpp),
// the organisation card's terms and the member card's posts, and the reminder of terms that
// expire.

#include "election_rules.hpp"

namespace party::elections {

namespace {

class ElectionsModule final : public tessera::Module {
public:
    void declare(tessera::Declarations& d) override {
        tessera::RecordHooks terms;
        terms.derive = deriveTerm;
        terms.validate = [](const tessera::Record& draft, const tessera::Record* stored, const tessera::Request&, tessera::Context& ctx) {
            return checkTerm(draft, stored, ctx);
        };
        terms.warn = [](const tessera::Record& saved, const tessera::Record*, const tessera::Request&, tessera::Context& ctx) {
            return warnTerm(saved, ctx);
        };
        d.records(QStringLiteral("term"), std::move(terms));
        for (const char* written : {"created", "updated", "deleted"})
            d.subscribe(QStringLiteral("party.elections.term.") + QLatin1String(written),
                        [](const QJsonObject&, tessera::Context& ctx) { return markLatest(ctx); });
        tessera::RecordHooks posts;
        posts.derive = derivePost;
        posts.validate = checkPost;
        posts.warn = [](const tessera::Record& saved, const tessera::Record*, const tessera::Request&, tessera::Context& ctx) {
            return warnPost(saved, ctx);
        };
        d.records(QStringLiteral("post"), std::move(posts));
        d.cardSection(QStringLiteral("terms"), orgTerms);
        d.cardSection(QStringLiteral("posts"), memberPosts);
        d.subtreeReminders(QStringLiteral("party.elections.read"), expiringTerms);
    }
};

}  // namespace

}  // namespace party::elections

TESSERA_MODULE(party::elections::ElectionsModule)
