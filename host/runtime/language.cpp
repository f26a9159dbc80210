#include "runtime/language.hpp"

#include <QList>

namespace tessera::host {

Language preferredLanguage(const QByteArray& acceptLanguage) {
    // The first range of the highest weight decides; a tie keeps the earlier one.
    Language best = Language::ZhCN;
    double bestWeight = 0;
    for (const QByteArray& item : acceptLanguage.split(',')) {
        const QList<QByteArray> parts = item.split(';');
        const QByteArray range = parts.front().trimmed().toLower();
        double weight = 1;
        for (qsizetype i = 1; i < parts.size(); ++i) {
            const QByteArray parameter = parts[i].trimmed();
            if (!parameter.startsWith("q=")) continue;
            bool ok = false;
            weight = parameter.mid(2).toDouble(&ok);
            if (!ok || weight < 0 || weight > 1) weight = 0;  // a weight we cannot read counts for nothing
        }
        const bool english = range == "en" || range.startsWith("en-");
        const bool chinese = range == "zh" || range.startsWith("zh-");
        if ((english || chinese) && weight > bestWeight) {
            best = english ? Language::En : Language::ZhCN;
            bestWeight = weight;
        }
    }
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
