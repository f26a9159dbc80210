#include "runtime/language.hpp"

#include <QByteArrayView>

namespace tessera::host {

namespace {

// Calls `each` with every piece of `list` between `separator`s, as split() gives them, but
// as views: the header is read for every request, so nothing of it is copied.
template <class Each>
void forEachPiece(QByteArrayView list, char separator, const Each& each) {
    for (qsizetype from = 0;;) {
        const qsizetype end = list.indexOf(separator, from);
        each(list.sliced(from, (end < 0 ? list.size() : end) - from));
        if (end < 0) return;
        from = end + 1;
    }
}

// `range` is `language` or a subtag of it ("en", "en-GB"), in any case.
bool isRangeOf(QByteArrayView range, QByteArrayView language) {
    if (range.size() < language.size()) return false;
    if (range.size() > language.size() && range[language.size()] != '-') return false;
    return range.first(language.size()).compare(language, Qt::CaseInsensitive) == 0;
}

}  // namespace

Language preferredLanguage(const QByteArray& acceptLanguage) {
    // The first range of the highest weight decides; a tie keeps the earlier one.
    Language best = Language::ZhCN;
    double bestWeight = 0;
    forEachPiece(acceptLanguage, ',', [&](QByteArrayView item) {
        const qsizetype semicolon = item.indexOf(';');
        const QByteArrayView range = (semicolon < 0 ? item : item.first(semicolon)).trimmed();
        double weight = 1;
        if (semicolon >= 0) {
            forEachPiece(item.sliced(semicolon + 1), ';', [&](QByteArrayView piece) {
                const QByteArrayView parameter = piece.trimmed();
                if (!parameter.startsWith("q=")) return;
                bool ok = false;
                weight = parameter.sliced(2).toDouble(&ok);
                if (!ok || weight < 0 || weight > 1) weight = 0;  // a weight we cannot read counts for nothing
            });
        }
        const bool english = isRangeOf(range, "en");
        const bool chinese = isRangeOf(range, "zh");
        if ((english || chinese) && weight > bestWeight) {
            best = english ? Language::En : Language::ZhCN;
            bestWeight = weight;
        }
    });
    return best;
}

std::optional<Language> languageNamed(QStringView name) {
    if (name == u"zh-CN") return Language::ZhCN;
    if (name == u"en") return Language::En;
    return std::nullopt;
}

QString languageName(Language language) { return language == Language::En ? QStringLiteral("en") : QStringLiteral("zh-CN"); }

QString diskFullMessage(Language language) {
    return language == Language::En ? QStringLiteral("The server's disk is full; please contact the administrator.")
                                    : QStringLiteral("服务器磁盘已满，请联系管理员");
}

}  // namespace tessera::host
