// Every sentence the host and the plugins write for people (tessera::text("...")) has its
// zh-CN translation in a catalogue: the host's (host/messages/zh-CN.tsv) or, for a plugin,
// its own or the host's. A sentence added without one would reach a Chinese reader in English.

#include "test_support.hpp"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QSet>

#include <gtest/gtest.h>

namespace {

QString readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// The English templates of a catalogue.
QSet<QString> templatesOf(const QString& path) {
    QSet<QString> out;
    for (const QString& line : readAll(path).split(u'\n')) {
        if (line.isEmpty() || line.startsWith(u'#') || !line.contains(u'\t')) continue;
        out.insert(line.section(u'\t', 0, 0));
    }
    return out;
}

// The literal templates of tessera::text("...") calls in a source, adjacent literals joined.
QStringList sentencesIn(const QString& source) {
    static const QRegularExpression call(QStringLiteral(R"re(tessera::text\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+))re"));
    static const QRegularExpression literal(QStringLiteral(R"re("((?:[^"\\]|\\.)*)")re"));
    QStringList out;
    for (const auto& m : call.globalMatch(source)) {
        QString joined;
        for (const auto& part : literal.globalMatch(m.captured(1))) joined += part.captured(1);
        joined.replace(QStringLiteral("\\\""), QStringLiteral("\""))
            .replace(QStringLiteral("\\n"), QStringLiteral("\n"))
            .replace(QStringLiteral("\\\\"), QStringLiteral("\\"));
        out << joined;
    }
    return out;
}

QStringList untranslated(const QString& folder, const QSet<QString>& catalogue) {
    QStringList missing;
    QDirIterator it(folder, {QStringLiteral("*.cpp"), QStringLiteral("*.hpp")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (path.endsWith(QLatin1String("_test.cpp")) || path.contains(QLatin1String("/tests/"))) continue;
        for (const QString& s : sentencesIn(readAll(path)))
            if (!catalogue.contains(s))
                missing << QDir(QStringLiteral(TESSERA_SOURCE_DIR)).relativeFilePath(path) + QStringLiteral(": ") + s;
    }
    return missing;
}

}  // namespace

TEST(MessageCatalogue, EverySentenceOfTheHostAndThePluginsHasItsChineseTranslation) {
    const QString root = QStringLiteral(TESSERA_SOURCE_DIR);
    const QSet<QString> host = templatesOf(root + QStringLiteral("/host/messages/zh-CN.tsv"));
    ASSERT_GT(host.size(), 100);
    EXPECT_FALSE(sentencesIn(readAll(root + QStringLiteral("/host/services/record_steps.cpp"))).isEmpty()) << "the scan finds the calls";
    QStringList missing = untranslated(root + QStringLiteral("/host"), host);
    for (const QString& plugin : QDir(root + QStringLiteral("/plugins")).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        missing << untranslated(root + QStringLiteral("/plugins/") + plugin + QStringLiteral("/src"),
                                host | templatesOf(root + QStringLiteral("/plugins/") + plugin + QStringLiteral("/messages/zh-CN.tsv")));
    EXPECT_TRUE(missing.isEmpty()) << "no zh-CN translation for:\n" << missing.join(u'\n').toStdString();
}
