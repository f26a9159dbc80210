#pragma once
// Message catalogues: what the host and each plugin say to people, in their language
// (tessera/text.hpp). A catalogue file is UTF-8 text, one message per line: the English
// template, a tab, the translated template (%1, %2, ... as in the English; their order may
// change); empty lines and lines starting with # are skipped.

#include "runtime/language.hpp"

#include <tessera/result.hpp>

#include <QByteArray>
#include <QHash>
#include <QJsonValue>
#include <QString>

namespace tessera::host {

class Catalogue {
public:
    /// Adds the translations of `file` into `language`; an error names the file and line.
    Status load(const QString& file, Language language);
    /// The same from a catalogue's bytes; `name` names it in errors.
    Status loadText(const QByteArray& text, const QString& name, Language language);
    /// Adds one translation (tests; the host's own catalogue is compiled in).
    void add(const QString& english, const QString& translated, Language language);

    /// `s` with every text in it said in `language`: a template without a translation is
    /// said in English (and counted, see missing()); plain text stays as it is.
    QString render(const QString& s, Language language) const;
    /// Every string of a JSON value rendered; the value itself when it holds no text.
    QJsonValue render(const QJsonValue& v, Language language) const;

    /// The English templates asked for in zh-CN that have no translation (for tests).
    QStringList missing() const;

private:
    QString renderAt(const QString& s, qsizetype& at, Language language) const;
    QHash<QString, QString> zhCN_;
    mutable QHash<QString, int> missing_;
};

/// The catalogue the whole process renders with: the host's own (compiled in), then each
/// started plugin's messages/zh-CN.tsv.
Catalogue& messages();

/// The host's zh-CN catalogue, host/messages/zh-CN.tsv as built in.
QByteArray hostCatalogueZhCN();

}  // namespace tessera::host
