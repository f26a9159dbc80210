#include "runtime/messages.hpp"

#include <tessera/text.hpp>

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QMutex>

namespace tessera::host {

namespace {

using tessera::detail::kTextEnd;
using tessera::detail::kTextStart;
using tessera::detail::kTextValue;

QMutex missingLock;

// `pattern` with %1, %2, ... replaced by `values` (a % without a number, or with one past the
// values, stays as it is).
QString fill(const QString& pattern, const QStringList& values) {
    QString out;
    out.reserve(pattern.size() + 16 * values.size());
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        if (pattern.at(i) == u'%' && i + 1 < pattern.size() && pattern.at(i + 1).isDigit() && pattern.at(i + 1) != u'0') {
            qsizetype j = i + 1;
            int n = 0;
            while (j < pattern.size() && pattern.at(j).isDigit() && n < 100) n = n * 10 + pattern.at(j++).digitValue();
            if (n >= 1 && n <= values.size()) {
                out += values.at(n - 1);
                i = j - 1;
                continue;
            }
        }
        out += pattern.at(i);
    }
    return out;
}

bool holdsText(const QJsonValue& v) {
    if (v.isString()) return tessera::hasText(v.toString());
    if (v.isArray()) {
        for (const QJsonValue& e : v.toArray())
            if (holdsText(e)) return true;
        return false;
    }
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            if (holdsText(it.value())) return true;
    }
    return false;
}

}  // namespace

Status Catalogue::load(const QString& file, Language language) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) return Error{QStringLiteral("messages.read"), QStringLiteral("cannot read %1: %2").arg(file, f.errorString())};
    return loadText(f.readAll(), file, language);
}

Status Catalogue::loadText(const QByteArray& bytes, const QString& name, Language language) {
    int line = 0;
    for (const QByteArray& raw : bytes.split('\n')) {
        ++line;
        QString text = QString::fromUtf8(raw);
        while (text.endsWith(u'\r')) text.chop(1);
        if (text.trimmed().isEmpty() || text.startsWith(u'#')) continue;
        const qsizetype tab = text.indexOf(u'\t');
        if (tab <= 0 || tab == text.size() - 1 || text.indexOf(u'\t', tab + 1) >= 0)
            return Error{QStringLiteral("messages.format"),
                         QStringLiteral("%1:%2: expected the English template, one tab and the translation").arg(name).arg(line)};
        add(text.left(tab), text.mid(tab + 1), language);
    }
    return {};
}

void Catalogue::add(const QString& english, const QString& translated, Language language) {
    if (language == Language::ZhCN) zhCN_.insert(english, translated);
}

QString Catalogue::render(const QString& s, Language language) const {
    if (!tessera::hasText(s)) return s;
    QString out;
    qsizetype at = 0;
    while (at < s.size()) {
        if (s.at(at) == QChar(kTextStart)) out += renderAt(s, at, language);
        else out += s.at(at++);
    }
    return out;
}

// The text starting at s[at] (a start marker), rendered; `at` moves past its end marker.
QString Catalogue::renderAt(const QString& s, qsizetype& at, Language language) const {
    ++at;  // the start marker
    QString english;
    while (at < s.size() && s.at(at) != QChar(kTextValue) && s.at(at) != QChar(kTextEnd)) english += s.at(at++);
    QStringList values;
    while (at < s.size() && s.at(at) == QChar(kTextValue)) {
        ++at;
        QString value;
        while (at < s.size() && s.at(at) != QChar(kTextValue) && s.at(at) != QChar(kTextEnd)) {
            if (s.at(at) == QChar(kTextStart)) value += renderAt(s, at, language);
            else value += s.at(at++);
        }
        values << value;
    }
    if (at < s.size()) ++at;  // the end marker
    QString pattern = english;
    if (language == Language::ZhCN) {
        if (const auto it = zhCN_.constFind(english); it != zhCN_.constEnd()) pattern = *it;
        else {
            QMutexLocker lock(&missingLock);
            ++missing_[english];
        }
    }
    return fill(pattern, values);
}

QJsonValue Catalogue::render(const QJsonValue& v, Language language) const {
    if (!holdsText(v)) return v;
    if (v.isString()) return render(v.toString(), language);
    if (v.isArray()) {
        QJsonArray out;
        for (const QJsonValue& e : v.toArray()) out.append(render(e, language));
        return out;
    }
    QJsonObject out;
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) out.insert(it.key(), render(it.value(), language));
    return out;
}

QStringList Catalogue::missing() const {
    QMutexLocker lock(&missingLock);
    return missing_.keys();
}

Catalogue& messages() {
    static Catalogue* catalogue = [] {
        auto* c = new Catalogue;
        (void)c->loadText(hostCatalogueZhCN(), QStringLiteral("host/messages/zh-CN.tsv"), Language::ZhCN);
        return c;
    }();
    return *catalogue;
}

}  // namespace tessera::host
