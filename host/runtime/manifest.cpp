#include "runtime/manifest.hpp"

#include "runtime/byte_size.hpp"
#include "runtime/csv.hpp"
#include "runtime/messages.hpp"
#include "runtime/xml_reader.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <cmath>

namespace tessera::host {

namespace {

using Presence = XmlReader::Presence;
constexpr int unbounded = ChildRule::unbounded;

struct SettingTypeName {
    SettingType type;
    const char16_t* name;
};
constexpr SettingTypeName settingTypes[] = {{SettingType::Int, u"int"},
                                            {SettingType::Number, u"number"},
                                            {SettingType::Bool, u"bool"},
                                            {SettingType::String, u"string"}};

QString settingTypeName(SettingType type) {
    for (const auto& t : settingTypes)
        if (t.type == type) return QString::fromUtf16(t.name);
    return {};
}

template <class Enum>
struct EnumName {
    Enum value;
    const char16_t* name;
};
constexpr EnumName<FieldKind> fieldKinds[] = {{FieldKind::Text, u"text"},
                                              {FieldKind::Textarea, u"textarea"},
                                              {FieldKind::Number, u"number"},
                                              {FieldKind::Date, u"date"},
                                              {FieldKind::Dropdown, u"dropdown"},
                                              {FieldKind::Unit, u"unit"},
                                              {FieldKind::Subform, u"subform"},
                                              {FieldKind::Checkbox, u"checkbox"},
                                              {FieldKind::Integer, u"integer"},
                                              {FieldKind::Decimal, u"decimal"},
                                              {FieldKind::DateTime, u"datetime"},
                                              {FieldKind::Reference, u"reference"},
                                              {FieldKind::Attachments, u"attachments"},
                                              {FieldKind::User, u"user"}};

// The kinds of file an attachments field takes (services/file_types.hpp tells them apart).
const QStringList& fileKinds() {
    static const QStringList kinds{QStringLiteral("image"), QStringLiteral("video"), QStringLiteral("audio"), QStringLiteral("document")};
    return kinds;
}

bool isTextKind(FieldKind k) { return k == FieldKind::Text || k == FieldKind::Textarea; }
bool isNumericKind(FieldKind k) { return k == FieldKind::Number || k == FieldKind::Integer || k == FieldKind::Decimal; }

// A table or column name the record engine may use: lower-case SQL identifier.
bool isValidSqlName(const QString& name) {
    if (name.isEmpty() || name.size() > 60 || !(name[0] >= u'a' && name[0] <= u'z')) return false;
    return std::all_of(name.begin(), name.end(), [](QChar c) { return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_'; });
}

// unitId -> unit_id
QString snakeCase(const QString& name) {
    QString out;
    for (QChar c : name) {
        if (c.isUpper()) {
            if (!out.isEmpty()) out += u'_';
            out += c.toLower();
        } else {
            out += c;
        }
    }
    return out;
}

// The columns every served table has besides its fields, and the suffix of sort-key columns.
const QStringList kSystemColumns{QStringLiteral("id"), QStringLiteral("version"), QStringLiteral("created_at"), QStringLiteral("updated_at")};
// The JSON names the record engine gives a record beside its fields (docs/records.md).
const QStringList kRecordNames{QStringLiteral("id"),     QStringLiteral("version"),  QStringLiteral("createdAt"), QStringLiteral("updatedAt"),
                               QStringLiteral("labels"), QStringLiteral("unitName"), QStringLiteral("unitPath")};
const QStringList kPlaceholderFilters{QStringLiteral("date"), QStringLiteral("month"), QStringLiteral("year"), QStringLiteral("qr"),
                                      QStringLiteral("image")};
constexpr EnumName<Requirement> requirements[] = {
    {Requirement::System, u"system"}, {Requirement::Required, u"required"}, {Requirement::Optional, u"optional"}};
constexpr EnumName<FilterKind> filterKinds[] = {
    {FilterKind::Text, u"text"}, {FilterKind::Dropdown, u"dropdown"}, {FilterKind::Unit, u"unit"}, {FilterKind::Date, u"date"}};
constexpr EnumName<ChartKind> chartKinds[] = {{ChartKind::Bar, u"bar"}, {ChartKind::Pie, u"pie"}, {ChartKind::Line, u"line"}};
constexpr EnumName<ChartSeriesKind> chartSeriesKinds[] = {{ChartSeriesKind::Number, u"number"}, {ChartSeriesKind::Money, u"money"}};
constexpr EnumName<ReportParamKind> reportParamKinds[] = {{ReportParamKind::Year, u"year"},
                                                          {ReportParamKind::Month, u"month"},
                                                          {ReportParamKind::Date, u"date"},
                                                          {ReportParamKind::Dropdown, u"dropdown"}};
constexpr EnumName<ReportColumnKind> reportColumnKinds[] = {
    {ReportColumnKind::Text, u"text"}, {ReportColumnKind::Number, u"number"}, {ReportColumnKind::Decimal, u"decimal"}};

template <class Enum, std::size_t N>
QString enumName(const EnumName<Enum> (&names)[N], Enum value) {
    for (const auto& n : names)
        if (n.value == value) return QString::fromUtf16(n.name);
    return {};
}

// "a, b or c" from the names, for messages.
template <class Enum, std::size_t N>
QString enumChoices(const EnumName<Enum> (&names)[N]) {
    QString text;
    for (std::size_t i = 0; i < N; ++i) {
        if (i > 0) text += i + 1 == N ? QStringLiteral(" or ") : QStringLiteral(", ");
        text += QString::fromUtf16(names[i].name);
    }
    return text;
}

// "what id" when the id is known, else "what", for messages about an element whose id is bad.
QString named(const char* what, const std::optional<QString>& id) {
    return id ? QStringLiteral("%1 %2").arg(QString::fromUtf8(what), *id) : QString::fromUtf8(what);
}

// A resource path relative to the plugin's API root: [a-z0-9-]+(/[a-z0-9-]+)*.
bool isValidResource(const QString& path) {
    const QStringList segments = path.split(u'/');
    return std::all_of(segments.begin(), segments.end(), [](const QString& segment) {
        return !segment.isEmpty() && std::all_of(segment.begin(), segment.end(), [](QChar c) {
            return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-';
        });
    });
}

// A path inside the plugin folder: not empty, not absolute, no "..".
bool isValidPluginFile(const QString& path) {
    return !path.isEmpty() && !path.startsWith(u'/') && !path.contains(QStringLiteral(".."));
}

// A dictionary code: not empty, no white space around it.
bool isValidCode(const QString& code) { return !code.isEmpty() && trimXmlSpace(code) == code; }

// A decimal number as min and max are written: -?[0-9]+(.[0-9]+)?, white space around it allowed.
std::optional<double> parseDecimal(const QString& text) {
    const QString t = trimXmlSpace(text);
    const QStringView digits = QStringView(t).mid(t.startsWith(u'-') ? 1 : 0);
    const auto isDigit = [](QChar c) { return c >= u'0' && c <= u'9'; };
    const qsizetype dot = digits.indexOf(u'.');
    const QStringView whole = dot < 0 ? digits : digits.left(dot);
    const QStringView fraction = dot < 0 ? QStringView() : digits.mid(dot + 1);
    if (whole.isEmpty() || !std::all_of(whole.begin(), whole.end(), isDigit)) return std::nullopt;
    if (dot >= 0 && (fraction.isEmpty() || !std::all_of(fraction.begin(), fraction.end(), isDigit)))
        return std::nullopt;
    bool ok = false;
    const double d = t.toDouble(&ok);
    if (!ok || !std::isfinite(d)) return std::nullopt;
    return d;
}

// Reads a dictionary's CSV file (header code,zh-CN,en) into d.items; problems go to `errors`
// with the CSV's path and line.
void loadDictionaryFile(const QString& path, DictionaryDecl& d, const QString& manifestFile,
                        std::vector<FileError>& errors) {
    FileError readError;
    const auto bytes = readXmlFile(path, readError);
    if (!bytes) {
        readError.message += QStringLiteral(" (the file of dictionary %1, %2:%3)").arg(d.id, manifestFile).arg(d.line);
        errors.push_back(readError);
        return;
    }
    const CsvTable table = parseCsv(*bytes);
    std::vector<FileError> found;
    // Said in English, as every manifest error is (a plugin's reason, the log).
    for (const CsvProblem& p : table.problems) found.push_back({path, p.line, messages().render(p.message, Language::En)});
    const QStringList defaultColumns{QStringLiteral("code"), QStringLiteral("zh-CN"), QStringLiteral("en")};
    const bool standardFile = d.columns == defaultColumns;
    // A problem on the first line (or in the whole file, like bad UTF-8) leaves no header to check.
    const bool headerBroken = !table.problems.empty() &&
                              (table.records.empty() || table.problems.front().line <= table.records.front().line);
    // Where each wanted column is in the file: code, zh-CN label, en label (-1: none).
    std::vector<qsizetype> at;
    if (!headerBroken && !table.records.empty()) {
        for (const QString& c : d.columns) at.push_back(table.records.front().fields.indexOf(c));
    }
    const bool headerOk = standardFile ? !table.records.empty() && table.records.front().fields == defaultColumns
                                       : !at.empty() && std::none_of(at.begin(), at.end(), [](qsizetype i) { return i < 0; });
    if (headerBroken) {
        // reported above; the rows cannot be read without their header
    } else if (!headerOk) {
        const int line = table.records.empty() ? 1 : table.records.front().line;
        found.push_back({path, line, standardFile ? QStringLiteral("expected the header line code,zh-CN,en")
                                                  : QStringLiteral("expected a header line with the columns %1 (columns=\"%2\" of dictionary %3)")
                                                        .arg(d.columns.join(QStringLiteral(", ")), d.columns.join(QLatin1Char(' ')), d.id)});
    } else {
        const qsizetype width = table.records.front().fields.size();
        QHash<QString, int> seen;
        for (std::size_t i = 1; i < table.records.size(); ++i) {
            const CsvRecord& r = table.records[i];
            const auto bad = [&](const QString& message) { found.push_back({path, r.line, message}); };
            if (r.fields.size() != width) {
                bad(standardFile ? QStringLiteral("expected 3 fields (code,zh-CN,en), found %1").arg(r.fields.size())
                                 : QStringLiteral("expected %1 fields as in the header line, found %2").arg(width).arg(r.fields.size()));
                continue;
            }
            const QString zh = trimXmlSpace(r.fields[at[1]]);
            DictionaryItem item{r.fields[at[0]], {zh, at.size() > 2 ? trimXmlSpace(r.fields[at[2]]) : zh}, {}};
            bool ok = true;
            if (!isValidCode(item.code)) {
                bad(QStringLiteral("invalid code \"%1\": expected a non-empty code without white space around it")
                        .arg(item.code));
                ok = false;
            } else if (const auto first = seen.constFind(item.code); first != seen.constEnd()) {
                bad(QStringLiteral("duplicate code %1 (first on line %2)").arg(item.code).arg(*first));
                ok = false;
            } else {
                seen.insert(item.code, r.line);
            }
            if (item.label.zhCN.isEmpty()) bad(QStringLiteral("empty zh-CN label"));
            if (item.label.en.isEmpty()) bad(QStringLiteral("empty en label"));
            if (ok && !item.label.zhCN.isEmpty() && !item.label.en.isEmpty()) d.items.push_back(std::move(item));
        }
        if (table.records.size() == 1 && table.problems.empty())
            found.push_back({path, table.records.front().line, QStringLiteral("no entries after the header line")});
    }
    std::stable_sort(found.begin(), found.end(), [](const FileError& a, const FileError& b) { return a.line < b.line; });
    errors.insert(errors.end(), found.begin(), found.end());
}

// Reads a <plugin> element into a Manifest, recording every problem in the XmlReader.
class ManifestReader {
public:
    /// With `fileErrors`, dictionary files are read and their problems recorded there.
    ManifestReader(XmlReader& xml, Manifest& manifest, std::vector<FileError>* fileErrors)
        : xml_(xml), m_(manifest), fileErrors_(fileErrors) {}

    void read(const pugi::xml_node& plugin) {
        xml_.checkAttributes(plugin, {"id", "version", "sdk-api"});
        xml_.checkChildren(plugin, {{"name", 0, unbounded},
                                    {"library", 1, 1},
                                    {"dependencies"},
                                    {"conflicts"},
                                    {"features"},
                                    {"settings"},
                                    {"permissions"},
                                    {"menu"},
                                    {"dictionaries"},
                                    {"views"}});
        if (const auto id = pluginId(plugin, "id")) m_.id = *id;
        if (const auto text = xml_.attribute(plugin, "version", Presence::Required)) {
            if (const auto version = Version::parse(*text))
                m_.version = *version;
            else
                xml_.error(plugin, QStringLiteral("invalid version=\"%1\" on <plugin>: expected a "
                                                  "semantic version like 1.2.0")
                                       .arg(*text));
        }
        if (const auto api = xml_.intAttribute(plugin, "sdk-api", Presence::Required))
            m_.sdkApi = static_cast<int>(*api);
        m_.name = localized(plugin, "name");
        if (const auto library = plugin.child("library")) readLibrary(library);
        // Permissions first: menu entries refer to them.
        readPermissions(plugin.child("permissions"));
        readDependencies(plugin.child("dependencies"));
        readConflicts(plugin.child("conflicts"));
        readFeatures(plugin.child("features"));
        readSettings(plugin.child("settings"));
        readMenu(plugin.child("menu"));
        // Dictionaries before views, cards before lists: each refers to the ones before.
        readDictionaries(plugin.child("dictionaries"));
        readViews(plugin.child("views"));
    }

private:
    // A required attribute holding a plugin id.
    std::optional<QString> pluginId(const pugi::xml_node& element, const char* attribute) {
        const auto id = xml_.attribute(element, attribute, Presence::Required);
        if (!id) return std::nullopt;
        if (isValidPluginId(*id)) return id;
        xml_.error(element, QStringLiteral("invalid %1=\"%2\" on %3: expected a plugin id of dotted "
                                           "lower-case segments like biz.customers")
                                .arg(QString::fromUtf8(attribute), *id, xmlTag(element)));
        return std::nullopt;
    }

    // A required attribute holding a feature, setting or menu entry name.
    std::optional<QString> localName(const pugi::xml_node& element, const char* attribute) {
        const auto value = xml_.attribute(element, attribute, Presence::Required);
        if (!value) return std::nullopt;
        if (isValidName(*value)) return value;
        xml_.error(element, QStringLiteral("invalid %1=\"%2\" on %3: expected lower-case letters, "
                                           "digits and '-', starting with a letter")
                                .arg(QString::fromUtf8(attribute), *value, xmlTag(element)));
        return std::nullopt;
    }

    std::optional<VersionRange> range(const pugi::xml_node& element) {
        const auto text = xml_.attribute(element, "version", Presence::Optional);
        if (!text) return VersionRange::any();
        if (auto range = VersionRange::parse(*text)) return range;
        xml_.error(element, QStringLiteral("invalid version range \"%1\" on %2").arg(*text, xmlTag(element)));
        return std::nullopt;
    }

    // The <name> or <label> children of `parent`: exactly one in zh-CN and one in en.
    LocalizedText localized(const pugi::xml_node& parent, const char* element) {
        LocalizedText text;
        QHash<QString, int> seen;
        for (pugi::xml_node child : parent.children(element)) {
            xml_.checkAttributes(child, {"lang"});
            const auto value = xml_.text(child);
            const auto lang = xml_.attribute(child, "lang", Presence::Required);
            if (!lang) continue;
            QString* target = *lang == u"zh-CN" ? &text.zhCN : *lang == u"en" ? &text.en : nullptr;
            if (!target) {
                xml_.error(child, QStringLiteral("invalid lang=\"%1\" on %2: expected zh-CN or en")
                                      .arg(*lang, xmlTag(child)));
                continue;
            }
            const QString what = QStringLiteral("<%1 lang=\"%2\"> in %3")
                                     .arg(QString::fromUtf8(element), *lang, xmlTag(parent));
            if (xml_.checkUnique(seen, *lang, child, what) && value) *target = *value;
        }
        for (const char16_t* lang : {u"zh-CN", u"en"})
            if (!seen.contains(QString::fromUtf16(lang)))
                xml_.error(parent, QStringLiteral("missing <%1 lang=\"%2\"> in %3")
                                       .arg(QString::fromUtf8(element), QString::fromUtf16(lang), xmlTag(parent)));
        return text;
    }

    void readLibrary(const pugi::xml_node& library) {
        xml_.checkAttributes(library, {});
        const auto base = xml_.text(library);
        if (!base) return;
        if (base->contains(u'/') || base->contains(QStringLiteral(".."))) {
            xml_.error(library, QStringLiteral("invalid <library> \"%1\": expected a file base name "
                                               "without '/' or '..'")
                                    .arg(*base));
            return;
        }
        m_.library = *base;
    }

    // Checks a section element (no attributes, only `item` children) and returns its items.
    auto items(const pugi::xml_node& section, const char* item) {
        if (section) {
            xml_.checkAttributes(section, {});
            xml_.checkChildren(section, {{item, 0, unbounded}});
        }
        return section.children(item);
    }

    void readDependencies(const pugi::xml_node& section) {
        QHash<QString, int> seen;
        for (pugi::xml_node element : items(section, "dependency")) {
            xml_.checkLeaf(element, {"id", "version", "optional"});
            DependencyDecl d;
            d.line = xml_.line(element);
            const auto id = pluginId(element, "id");
            const auto versions = range(element);
            const auto optional = xml_.boolAttribute(element, "optional", Presence::Optional);
            if (!id) continue;
            if (*id == m_.id)
                xml_.error(element, QStringLiteral("plugin %1 depends on itself").arg(*id));
            else
                xml_.checkUnique(seen, *id, element, QStringLiteral("dependency %1").arg(*id));
            d.id = *id;
            if (versions) d.range = *versions;
            d.optional = optional.value_or(false);
            m_.dependencies.push_back(std::move(d));
        }
    }

    void readConflicts(const pugi::xml_node& section) {
        QHash<QString, int> seen;
        for (pugi::xml_node element : items(section, "conflict")) {
            xml_.checkLeaf(element, {"id", "version"});
            ConflictDecl c;
            c.line = xml_.line(element);
            const auto id = pluginId(element, "id");
            const auto versions = range(element);
            if (!id) continue;
            if (*id == m_.id)
                xml_.error(element, QStringLiteral("plugin %1 conflicts with itself").arg(*id));
            else
                xml_.checkUnique(seen, *id, element, QStringLiteral("conflict %1").arg(*id));
            c.id = *id;
            if (versions) c.range = *versions;
            m_.conflicts.push_back(std::move(c));
        }
    }

    void readFeatures(const pugi::xml_node& section) {
        QHash<QString, int> seen;
        for (pugi::xml_node element : items(section, "feature")) {
            xml_.checkAttributes(element, {"name", "default"});
            xml_.checkChildren(element, {{"label", 0, unbounded}});
            FeatureDecl f;
            const auto featureName = localName(element, "name");
            f.enabledByDefault = xml_.boolAttribute(element, "default", Presence::Optional).value_or(true);
            f.label = localized(element, "label");
            if (!featureName) continue;
            xml_.checkUnique(seen, *featureName, element, QStringLiteral("feature %1").arg(*featureName));
            f.name = *featureName;
            m_.features.push_back(std::move(f));
        }
    }

    void readSettings(const pugi::xml_node& section) {
        QHash<QString, int> seen;
        for (pugi::xml_node element : items(section, "setting")) {
            xml_.checkAttributes(element, {"name", "type", "default"});
            xml_.checkChildren(element, {{"label", 0, unbounded}});
            SettingDecl s;
            const auto settingName = localName(element, "name");
            const auto type = settingType(element);
            const auto defaultText = xml_.attribute(element, "default", Presence::Required);
            s.label = localized(element, "label");
            if (settingName)
                xml_.checkUnique(seen, *settingName, element, QStringLiteral("setting %1").arg(*settingName));
            if (!settingName || !type || !defaultText) continue;
            s.name = *settingName;
            s.type = *type;
            if (const auto value = s.convert(*defaultText)) {
                s.defaultValue = *value;
            } else {
                xml_.error(element, QStringLiteral("default \"%1\" of setting %2 is not a valid %3")
                                        .arg(*defaultText, s.name, settingTypeName(s.type)));
            }
            m_.settings.push_back(std::move(s));
        }
    }

    std::optional<SettingType> settingType(const pugi::xml_node& element) {
        const auto text = xml_.attribute(element, "type", Presence::Required);
        if (!text) return std::nullopt;
        for (const auto& t : settingTypes)
            if (*text == QStringView(t.name)) return t.type;
        xml_.error(element, QStringLiteral("invalid type=\"%1\" on <setting>: expected int, number, "
                                           "bool or string")
                                .arg(*text));
        return std::nullopt;
    }

    void readPermissions(const pugi::xml_node& section) {
        QHash<QString, int> seen;
        for (pugi::xml_node element : items(section, "permission")) {
            xml_.checkAttributes(element, {"id"});
            xml_.checkChildren(element, {{"label", 0, unbounded}});
            PermissionDecl p;
            const auto id = xml_.attribute(element, "id", Presence::Required);
            p.label = localized(element, "label");
            if (!id) continue;
            // Without a valid plugin id there is no prefix to check against.
            const QString prefix = m_.id.isEmpty() ? QString() : m_.id + QLatin1Char('.');
            if (!isValidPluginId(*id) || !id->startsWith(prefix)) {
                xml_.error(element, QStringLiteral("invalid permission id \"%1\": expected %2<name> "
                                                   "in dotted lower-case segments")
                                        .arg(*id, prefix.isEmpty() ? QStringLiteral("<plugin-id>.") : prefix));
                continue;
            }
            xml_.checkUnique(seen, *id, element, QStringLiteral("permission %1").arg(*id));
            p.id = *id;
            m_.permissions.push_back(std::move(p));
        }
    }

    void readMenu(const pugi::xml_node& section) {
        QSet<QString> declared;
        for (const auto& p : m_.permissions) declared.insert(p.id);
        QHash<QString, int> seen;
        for (pugi::xml_node element : items(section, "entry")) {
            xml_.checkAttributes(element, {"id", "path", "permission", "order"});
            xml_.checkChildren(element, {{"label", 0, unbounded}});
            MenuEntryDecl e;
            const auto id = localName(element, "id");
            const auto path = xml_.attribute(element, "path", Presence::Required);
            const auto permission = xml_.attribute(element, "permission", Presence::Optional);
            const auto order = xml_.intAttribute(element, "order", Presence::Optional,
                                                 std::numeric_limits<int>::min(),
                                                 std::numeric_limits<int>::max());
            e.label = localized(element, "label");
            if (id) xml_.checkUnique(seen, *id, element, QStringLiteral("menu entry %1").arg(*id));
            if (path && !path->startsWith(u'/'))
                xml_.error(element, QStringLiteral("invalid path=\"%1\" on <entry>: expected a shell "
                                                   "path starting with /")
                                        .arg(*path));
            if (permission && !declared.contains(*permission))
                xml_.error(element, QStringLiteral("menu entry %1 needs permission \"%2\", which this "
                                                   "manifest does not declare")
                                        .arg(id.value_or(QString()), *permission));
            if (!id || !path) continue;
            e.id = *id;
            e.path = *path;
            e.permission = permission.value_or(QString());
            e.order = static_cast<int>(order.value_or(0));
            m_.menu.push_back(std::move(e));
        }
    }

    // A required attribute holding a JSON name (field, query parameter).
    std::optional<QString> jsonName(const pugi::xml_node& element, const char* attribute) {
        const auto value = xml_.attribute(element, attribute, Presence::Required);
        if (!value) return std::nullopt;
        if (isValidJsonName(*value)) return value;
        xml_.error(element, QStringLiteral("invalid %1=\"%2\" on %3: expected a JSON name of ASCII letters and "
                                           "digits, starting with a letter, like unitId")
                                .arg(QString::fromUtf8(attribute), *value, xmlTag(element)));
        return std::nullopt;
    }

    std::optional<QString> resource(const pugi::xml_node& element, const char* attribute = "resource",
                                    Presence presence = Presence::Required) {
        const auto value = xml_.attribute(element, attribute, presence);
        if (!value) return std::nullopt;
        if (isValidResource(*value)) return value;
        xml_.error(element, QStringLiteral("invalid %1=\"%2\" on %3: expected an API path relative to the "
                                           "plugin's, of lower-case letters, digits and '-' in segments joined by "
                                           "'/', like customers")
                                .arg(QLatin1String(attribute), *value, xmlTag(element)));
        return std::nullopt;
    }

    template <class Enum, std::size_t N>
    std::optional<Enum> enumAttribute(const pugi::xml_node& element, const char* attribute, Presence presence,
                                      const EnumName<Enum> (&names)[N]) {
        const auto text = xml_.attribute(element, attribute, presence);
        if (!text) return std::nullopt;
        for (const auto& n : names)
            if (*text == QStringView(n.name)) return n.value;
        xml_.error(element, QStringLiteral("invalid %1=\"%2\" on %3: expected %4")
                                .arg(QString::fromUtf8(attribute), *text, xmlTag(element), enumChoices(names)));
        return std::nullopt;
    }

    std::optional<double> decimalAttribute(const pugi::xml_node& element, const char* attribute) {
        const auto text = xml_.attribute(element, attribute, Presence::Optional);
        if (!text) return std::nullopt;
        if (const auto d = parseDecimal(*text)) return d;
        xml_.error(element, QStringLiteral("invalid %1=\"%2\" on %3: expected a decimal number like 0, -5 or 2.5")
                                .arg(QString::fromUtf8(attribute), *text, xmlTag(element)));
        return std::nullopt;
    }

    // The dictionary attribute of a field or filter: required for kind dropdown and naming a
    // dictionary of this manifest; not allowed otherwise.
    QString dictionaryReference(const pugi::xml_node& element, bool isDropdown, const QString& what) {
        const auto dictionary = xml_.attribute(element, "dictionary", Presence::Optional);
        if (!isDropdown) {
            if (dictionary)
                xml_.error(element, QStringLiteral("dictionary=\"%1\" on %2: only a dropdown has a dictionary")
                                        .arg(*dictionary, what));
            return {};
        }
        if (!dictionary) {
            xml_.error(element, QStringLiteral("dropdown %1 needs a dictionary attribute").arg(what));
            return {};
        }
        if (!m_.dictionary(*dictionary))
            xml_.error(element, QStringLiteral("%1 needs dictionary \"%2\", which this manifest does not declare")
                                    .arg(what, *dictionary));
        return *dictionary;
    }

    void readDictionaries(const pugi::xml_node& section) {
        QHash<QString, int> seen;
        for (pugi::xml_node element : items(section, "dictionary")) {
            xml_.checkAttributes(element, {"id", "file", "columns"});
            xml_.checkChildren(element, {{"label", 0, unbounded}, {"item", 0, unbounded}, {"alias", 0, unbounded}});
            DictionaryDecl d;
            d.line = xml_.line(element);
            // columns="code name roman": which header columns of the file hold the code, the
            // zh-CN label and the en label, so national tables ship exactly as published.
            if (const auto columns = xml_.attribute(element, "columns", Presence::Optional)) {
                const QStringList names = columns->split(QLatin1Char(' '), Qt::SkipEmptyParts);
                if (!element.attribute("file"))
                    xml_.error(element, QStringLiteral("columns=\"%1\" on <dictionary> needs a file").arg(*columns));
                else if (names.size() < 2 || names.size() > 3 || QSet<QString>(names.begin(), names.end()).size() != names.size())
                    xml_.error(element, QStringLiteral("invalid columns=\"%1\" on <dictionary>: expected two or three different "
                                                       "column names: code, zh-CN label and optionally en label")
                                            .arg(*columns));
                else
                    d.columns = names;
            }
            const auto id = localName(element, "id");
            const auto file = xml_.attribute(element, "file", Presence::Optional);
            d.label = localized(element, "label");
            if (id) xml_.checkUnique(seen, *id, element, QStringLiteral("dictionary %1").arg(*id));
            const bool fileOk = file && isValidPluginFile(*file);
            if (file && !fileOk)
                xml_.error(element, QStringLiteral("invalid file=\"%1\" on <dictionary>: expected a path relative "
                                                   "to the plugin folder, without '..' and not starting with '/'")
                                        .arg(*file));
            QHash<QString, int> codes;
            for (pugi::xml_node itemElement : element.children("item")) {
                xml_.checkAttributes(itemElement, {"code", "tag"});
                xml_.checkChildren(itemElement, {{"label", 0, unbounded}});
                const auto code = xml_.attribute(itemElement, "code", Presence::Required);
                DictionaryItem item;
                item.label = localized(itemElement, "label");
                if (const auto tag = xml_.attribute(itemElement, "tag", Presence::Optional)) {
                    static const QStringList kTags{QStringLiteral("primary"), QStringLiteral("success"), QStringLiteral("info"),
                                                   QStringLiteral("warning"), QStringLiteral("danger")};
                    if (!kTags.contains(*tag))
                        xml_.error(itemElement, QStringLiteral("invalid tag=\"%1\" on <item>: expected one of %2").arg(*tag, kTags.join(QStringLiteral(", "))));
                    item.tag = *tag;
                }
                if (!code) continue;
                if (!isValidCode(*code)) {
                    xml_.error(itemElement, QStringLiteral("invalid code=\"%1\" on <item>: expected a non-empty "
                                                           "code without white space around it")
                                                .arg(*code));
                    continue;
                }
                xml_.checkUnique(codes, *code, itemElement,
                                 QStringLiteral("code %1 in %2").arg(*code, named("dictionary", id)));
                item.code = *code;
                d.items.push_back(std::move(item));
            }
            const bool hasItems = static_cast<bool>(element.child("item"));
            if (file && hasItems)
                xml_.error(element, QStringLiteral("%1 has both a file and <item>s: use one or the other")
                                        .arg(named("dictionary", id)));
            else if (!file && !hasItems)
                xml_.error(element, QStringLiteral("%1 has neither <item>s nor a file").arg(named("dictionary", id)));
            // Other names people write for a code (former names, short forms), read by imports.
            for (pugi::xml_node aliasElement : element.children("alias")) {
                xml_.checkAttributes(aliasElement, {"code"});
                const auto code = xml_.attribute(aliasElement, "code", Presence::Required);
                const QString text = trimXmlSpace(QString::fromUtf8(aliasElement.text().get()));
                if (!code) continue;
                if (text.isEmpty())
                    xml_.error(aliasElement, QStringLiteral("<alias code=\"%1\"> in %2 is empty: write the other name of the code")
                                                 .arg(*code, named("dictionary", id)));
                else
                    d.aliases.insert(text, *code);
            }
            if (!id) continue;
            d.id = *id;
            if (fileOk) {
                d.file = *file;
                if (fileErrors_ && !hasItems)
                    loadDictionaryFile(QDir::cleanPath(m_.dir + QLatin1Char('/') + *file), d, m_.file, *fileErrors_);
            }
            if (!d.items.empty())
                for (auto it = d.aliases.constBegin(); it != d.aliases.constEnd(); ++it)
                    if (!d.item(it.value()))
                        xml_.error(element, QStringLiteral("<alias code=\"%1\"> in %2: the dictionary has no such code").arg(it.value(), named("dictionary", id)));
            m_.dictionaries.push_back(std::move(d));
        }
    }

    void readViews(const pugi::xml_node& views) {
        if (!views) return;
        xml_.checkAttributes(views, {});
        xml_.checkChildren(views, {{"list", 0, unbounded},
                                   {"card", 0, unbounded},
                                   {"chart", 0, unbounded},
                                   {"report", 0, unbounded},
                                   {"card-section", 0, unbounded}});
        // Lists, cards, charts and reports share one set of ids (the shell opens a view by its id).
        QHash<QString, int> ids;
        for (pugi::xml_node element : views.children()) {
            if (element.type() != pugi::node_element) continue;
            const std::string_view tag = element.name();
            if (tag != "list" && tag != "card" && tag != "chart" && tag != "report") continue;
            const QString id = QString::fromUtf8(element.attribute("id").value());
            if (isValidName(id)) xml_.checkUnique(ids, id, element, QStringLiteral("view %1").arg(id));
        }
        for (pugi::xml_node element : views.children("card")) readCard(element);
        for (pugi::xml_node element : views.children("list")) readList(element);
        for (pugi::xml_node element : views.children("chart")) readChart(element);
        for (pugi::xml_node element : views.children("report")) readReport(element);
        QHash<QString, int> sectionIds;
        for (pugi::xml_node element : views.children("card-section")) readCardSection(element, sectionIds);
    }

    void readCardSection(const pugi::xml_node& element, QHash<QString, int>& ids) {
        xml_.checkAttributes(element, {"id", "card", "permission", "order"});
        xml_.checkChildren(element, {{"label", 0, unbounded}, {"column", 1, unbounded}});
        CardSectionDecl section;
        const auto id = localName(element, "id");
        const auto card = xml_.attribute(element, "card", Presence::Required);
        const auto permission = xml_.attribute(element, "permission", Presence::Required);
        const auto order = xml_.intAttribute(element, "order", Presence::Optional);
        section.label = localized(element, "label");
        if (id) xml_.checkUnique(ids, *id, element, QStringLiteral("card-section %1").arg(*id));
        static const QRegularExpression cardRef(QStringLiteral("^[a-z][a-z0-9]*(\\.[a-z][a-z0-9-]*)+/[a-z][a-z0-9-]*$"));
        if (card && !cardRef.match(*card).hasMatch())
            xml_.error(element, QStringLiteral("invalid card=\"%1\" on <card-section>: expected <plugin-id>/<card-id>, like party.daily/member").arg(*card));
        if (permission && std::none_of(m_.permissions.begin(), m_.permissions.end(), [&](const PermissionDecl& p) { return p.id == *permission; }))
            xml_.error(element, QStringLiteral("card-section %1 needs permission '%2', which the manifest does not declare")
                                    .arg(id.value_or(QString()), *permission));
        QHash<QString, int> fields;
        for (pugi::xml_node columnElement : element.children("column")) {
            xml_.checkAttributes(columnElement, {"field"});
            xml_.checkChildren(columnElement, {{"label", 0, unbounded}});
            const auto field = jsonName(columnElement, "field");
            if (!field) continue;
            xml_.checkUnique(fields, *field, columnElement, QStringLiteral("column %1 in card-section %2").arg(*field, id.value_or(QString())));
            section.columns.push_back({*field, localized(columnElement, "label")});
        }
        if (!id || !card || !permission) return;
        section.id = *id;
        section.card = *card;
        section.permission = *permission;
        section.order = static_cast<int>(order.value_or(0));
        m_.cardSections.push_back(std::move(section));
    }

    // A chart's or report's <param>s: query parameters the shell shows above the view.
    std::vector<ViewParamDecl> readParams(const pugi::xml_node& element, const QString& what) {
        std::vector<ViewParamDecl> out;
        QHash<QString, int> params;
        for (pugi::xml_node paramElement : element.children("param")) {
            xml_.checkAttributes(paramElement, {"name", "kind", "dictionary"});
            xml_.checkChildren(paramElement, {{"label", 0, unbounded}});
            const auto name = jsonName(paramElement, "name");
            const auto kind = enumAttribute(paramElement, "kind", Presence::Required, reportParamKinds);
            ViewParamDecl param;
            param.label = localized(paramElement, "label");
            if (name) {
                xml_.checkUnique(params, *name, paramElement, QStringLiteral("param %1 in %2").arg(*name, what));
                // unit= is the organisation tree's, format= the export's.
                if (*name == u"unit" || *name == u"format")
                    xml_.error(paramElement,
                               QStringLiteral("param %1 in %2: the host gives %1= itself; choose another name").arg(*name, what));
            }
            if (kind) param.dictionary = dictionaryReference(paramElement, *kind == ReportParamKind::Dropdown, named("param", name));
            if (!name || !kind) continue;
            param.name = *name;
            param.kind = *kind;
            out.push_back(std::move(param));
        }
        return out;
    }

    void readChart(const pugi::xml_node& element) {
        xml_.checkAttributes(element, {"id", "resource", "kind"});
        xml_.checkChildren(element, {{"label", 0, unbounded}, {"param", 0, unbounded}, {"series", 0, unbounded}});
        ChartDecl chart;
        const auto id = localName(element, "id");
        const auto path = resource(element);
        const auto kind = enumAttribute(element, "kind", Presence::Optional, chartKinds);
        chart.label = localized(element, "label");
        const QString what = named("chart", id);
        chart.params = readParams(element, what);
        QHash<QString, int> fields;
        for (pugi::xml_node seriesElement : element.children("series")) {
            xml_.checkAttributes(seriesElement, {"field", "kind"});
            xml_.checkChildren(seriesElement, {{"label", 0, unbounded}});
            const auto field = jsonName(seriesElement, "field");
            const auto seriesKind = enumAttribute(seriesElement, "kind", Presence::Optional, chartSeriesKinds);
            const auto seriesLabel = localized(seriesElement, "label");
            if (!field) continue;
            // An item's key and label name the category; the series are its other fields.
            if (*field == u"key" || *field == u"label") {
                xml_.error(seriesElement,
                           QStringLiteral("series %1 in %2: an item's %1 names its category; choose another field").arg(*field, what));
                continue;
            }
            xml_.checkUnique(fields, *field, seriesElement, QStringLiteral("series %1 in %2").arg(*field, what));
            chart.series.push_back({*field, seriesKind.value_or(ChartSeriesKind::Number), seriesLabel});
        }
        if (kind == ChartKind::Pie && chart.series.size() > 1)
            xml_.error(element, QStringLiteral("%1 is a pie, which draws one series: declare at most one <series>").arg(what));
        if (!id || !path) return;
        chart.id = *id;
        chart.resource = *path;
        chart.kind = kind.value_or(ChartKind::Bar);
        m_.charts.push_back(std::move(chart));
    }

    void readReport(const pugi::xml_node& element) {
        xml_.checkAttributes(element, {"id", "resource"});
        xml_.checkChildren(element, {{"label", 0, unbounded}, {"param", 0, unbounded}, {"column", 1, unbounded}});
        ReportDecl report;
        const auto id = localName(element, "id");
        const auto path = resource(element);
        report.label = localized(element, "label");
        const QString what = named("report", id);
        report.params = readParams(element, what);
        QHash<QString, int> fields;
        for (pugi::xml_node columnElement : element.children("column")) {
            xml_.checkAttributes(columnElement, {"field", "kind"});
            xml_.checkChildren(columnElement, {{"label", 0, unbounded}});
            const auto field = jsonName(columnElement, "field");
            const auto kind = enumAttribute(columnElement, "kind", Presence::Optional, reportColumnKinds);
            if (!field) continue;
            xml_.checkUnique(fields, *field, columnElement, QStringLiteral("column %1 in %2").arg(*field, what));
            report.columns.push_back({*field, kind.value_or(ReportColumnKind::Text), localized(columnElement, "label")});
        }
        if (!id || !path) return;
        report.id = *id;
        report.resource = *path;
        m_.reports.push_back(std::move(report));
    }

    void readCard(const pugi::xml_node& element) {
        xml_.checkAttributes(element, {"id", "resource", "table", "read", "write", "title", "events", "order", "search-feature",
                                       "import-key", "roll", "is-unit", "unit-name", "unit-code", "units", "indexes"});
        xml_.checkChildren(element, {{"label", 0, unbounded}, {"section", 1, unbounded}, {"workflow", 0, 1}, {"document", 0, unbounded}});
        CardDecl card;
        const auto id = localName(element, "id");
        const auto path = resource(element);
        card.label = localized(element, "label");
        const QString cardName = named("card", id);
        QHash<QString, int> sectionIds, fieldNames;
        for (pugi::xml_node sectionElement : element.children("section")) {
            xml_.checkAttributes(sectionElement, {"id"});
            xml_.checkChildren(sectionElement, {{"label", 0, unbounded}, {"field", 1, unbounded}});
            SectionDecl section;
            const auto sectionId = localName(sectionElement, "id");
            section.label = localized(sectionElement, "label");
            if (sectionId)
                xml_.checkUnique(sectionIds, *sectionId, sectionElement,
                                 QStringLiteral("section %1 in %2").arg(*sectionId, cardName));
            for (pugi::xml_node fieldElement : sectionElement.children("field")) {
                auto field = readField(fieldElement, nullptr);
                if (!field) continue;
                xml_.checkUnique(fieldNames, field->name, fieldElement,
                                 QStringLiteral("field %1 in %2").arg(field->name, cardName));
                section.fields.push_back(std::move(*field));
            }
            if (!sectionId) continue;
            section.id = *sectionId;
            card.sections.push_back(std::move(section));
        }
        // Kept even when something else is wrong, so that lists can refer to it.
        if (!id) return;
        card.id = *id;
        card.resource = path.value_or(QString());
        card.line = xml_.line(element);
        readStorage(element, card, cardName);
        m_.cards.push_back(std::move(card));
    }

    // The record engine's attributes of a card (table, read, write, ...), checked against its
    // fields: a served card is a complete schema, or the manifest is refused.
    void readStorage(const pugi::xml_node& element, CardDecl& card, const QString& cardName) {
        const auto table = xml_.attribute(element, "table", Presence::Optional);
        const auto fields = card.fields();
        if (!table) {
            for (const char* attribute : {"read", "write", "title", "events", "order", "search-feature", "import-key", "roll", "is-unit",
                                          "unit-name", "unit-code", "units", "indexes"})
                if (element.attribute(attribute))
                    xml_.error(element, QStringLiteral("%1 on %2 without a table: only a card the host serves has it")
                                            .arg(QString::fromUtf8(attribute), cardName));
            for (const char* child : {"workflow", "document"})
                if (element.child(child))
                    xml_.error(element.child(child), QStringLiteral("<%1> in %2 without a table: only a card the host serves has one")
                                                         .arg(QString::fromUtf8(child), cardName));
            for (const FieldDecl* f : card.attachmentFields())
                xml_.error(element, QStringLiteral("field %1 of %2 without a table: only a card the host serves keeps attachments")
                                        .arg(f->name, cardName));
            return;
        }
        if (!isValidSqlName(*table) || table->startsWith(QStringLiteral("core_")) || table->startsWith(QStringLiteral("sqlite_")))
            xml_.error(element, QStringLiteral("invalid table=\"%1\" on %2: expected a lower-case SQL name of letters, digits "
                                               "and '_', not starting with core_ or sqlite_, like biz_customers")
                                    .arg(*table, cardName));
        card.table = *table;
        auto permission = [&](const char* attribute) {
            const auto id = xml_.attribute(element, attribute, Presence::Required);
            if (!id) return QString();
            if (std::none_of(m_.permissions.begin(), m_.permissions.end(), [&](const PermissionDecl& p) { return p.id == *id; }))
                xml_.error(element, QStringLiteral("%1=\"%2\" on %3: the manifest declares no such permission")
                                        .arg(QString::fromUtf8(attribute), *id, cardName));
            return *id;
        };
        card.readPermission = permission("read");
        card.writePermission = permission("write");
        card.events = xml_.attribute(element, "events", Presence::Optional).value_or(m_.id + u'.' + card.id);
        if (const auto feature = xml_.attribute(element, "search-feature", Presence::Optional)) {
            if (!m_.feature(*feature))
                xml_.error(element, QStringLiteral("search-feature=\"%1\" on %2: the manifest declares no such feature").arg(*feature, cardName));
            card.searchFeature = *feature;
        }
        if (const auto title = xml_.attribute(element, "title", Presence::Optional)) {
            const FieldDecl* f = card.field(*title);
            if (!f || !isTextKind(f->kind))
                xml_.error(element, QStringLiteral("title=\"%1\" on %2: expected a text field of the card").arg(*title, cardName));
            card.titleField = *title;
        } else {
            for (const FieldDecl* f : fields)
                if (f->kind == FieldKind::Text) {
                    card.titleField = f->name;
                    break;
                }
        }
        if (const auto key = xml_.attribute(element, "import-key", Presence::Optional)) {
            const FieldDecl* f = card.field(*key);
            if (!f || !f->unique || !f->imported)
                xml_.error(element, QStringLiteral("import-key=\"%1\" on %2: expected an imported field of the card with unique=\"true\"").arg(*key, cardName));
            card.importKey = *key;
        }
        if (const auto roll = xml_.attribute(element, "roll", Presence::Optional)) {
            const FieldDecl* f = card.field(*roll);
            if (!f || (f->kind != FieldKind::Date && f->kind != FieldKind::DateTime))
                xml_.error(element, QStringLiteral("roll=\"%1\" on %2: expected a date field of the card, set when a record "
                                                   "leaves the roll").arg(*roll, cardName));
            card.roll = *roll;
        }
        readUnitCard(element, card, cardName);
        card.order = xml_.attribute(element, "order", Presence::Optional).value_or(QStringLiteral("-id"));
        {
            const QString by = card.order.startsWith(u'-') ? card.order.mid(1) : card.order;
            const FieldDecl* f = card.field(by);
            if (by != u"id" && by != u"createdAt" && by != u"updatedAt" && (!f || !f->sort))
                xml_.error(element, QStringLiteral("order=\"%1\" on %2: expected id, createdAt, updatedAt or a field with "
                                                   "sort=\"true\", with '-' before it for newest or largest first")
                                        .arg(card.order, cardName));
        }
        for (const QString& group :
             xml_.attribute(element, "indexes", Presence::Optional).value_or(QString()).split(u';', Qt::SkipEmptyParts)) {
            const QStringList names = group.split(u' ', Qt::SkipEmptyParts);
            if (names.isEmpty()) continue;
            bool known = true;
            for (const QString& name : names) {
                const FieldDecl* f = card.field(name);
                if (!f || f->kind == FieldKind::Subform || f->kind == FieldKind::Attachments) {
                    xml_.error(element, QStringLiteral("indexes=\"...\" on %1: %2 is not a field of the card kept in a column of its own")
                                            .arg(cardName, name));
                    known = false;
                }
            }
            if (known) card.indexes.push_back(names);
        }
        QHash<QString, int> columns;
        int units = 0;
        const QStringList sharedUnits =
            xml_.attribute(element, "units", Presence::Optional).value_or(QString()).split(u' ', Qt::SkipEmptyParts);
        for (const FieldDecl* f : fields) {
            const QString what = QStringLiteral("field %1 of %2").arg(f->name, cardName);
            if (kRecordNames.contains(f->name))
                xml_.error(element, QStringLiteral("%1: %2 is a name the record engine gives the record itself (%3), not a field's")
                                        .arg(what, f->name, kRecordNames.join(QStringLiteral(", "))));
            if (f->kind == FieldKind::Subform && (f->filter || f->sort || f->unique))
                xml_.error(element, QStringLiteral("%1: a subform's rows are kept as one value; it cannot filter, sort or be unique").arg(what));
            if (!isValidSqlName(f->column) || kSystemColumns.contains(f->column) || f->column.endsWith(QStringLiteral("_sort")) ||
                (card.isUnit && f->column == u"unit_id" && f->kind != FieldKind::Unit))
                xml_.error(element, QStringLiteral("%1: invalid column \"%2\": expected a lower-case SQL name, not id, version, "
                                                   "created_at, updated_at or a name ending in _sort")
                                        .arg(what, f->column));
            else if (columns.contains(f->column))
                xml_.error(element, QStringLiteral("%1: column \"%2\" is already the column of another field").arg(what, f->column));
            columns.insert(f->column, 1);
            if (f->kind == FieldKind::Unit) {
                if (f->column != u"unit_id" && !card.isUnit) {
                    // Another unit a record involves (a transfer's receiver): listed in units=.
                    if (!sharedUnits.contains(f->name))
                        xml_.error(element, QStringLiteral("%1: a second unit field is one of the units a record belongs to; list it in "
                                                           "units=\"...\" on the card after the record's own unit")
                                                .arg(what));
                    continue;
                }
                ++units;
                if (card.isUnit) {
                    if (f->column == u"unit_id" || f->filter || f->sort || f->unique)
                        xml_.error(element, QStringLiteral("%1: on a card that is a unit, the unit field is the unit's parent, read from "
                                                           "the tree: it is not kept in unit_id (the record's own unit), and does not "
                                                           "filter, sort or be unique")
                                                .arg(what));
                } else if (f->column != u"unit_id")
                    xml_.error(element, QStringLiteral("%1: the unit a record belongs to is kept in column unit_id (the audit "
                                                       "log and scope checks look for it), not \"%2\"")
                                            .arg(what, f->column));
            }
        }
        for (const FieldDecl* f : card.attachmentFields())
            if (kRecordNames.contains(f->name))
                xml_.error(element, QStringLiteral("field %1 of %2: %1 is a name the record engine gives the record itself (%3), not a field's")
                                        .arg(f->name, cardName, kRecordNames.join(QStringLiteral(", "))));
        if (units != 1)
            xml_.error(element, QStringLiteral("%1 has %2 field(s) of kind unit kept in unit_id; a card the host serves has exactly "
                                               "one: the organisation unit each record belongs to, which decides who sees it")
                                    .arg(cardName)
                                    .arg(units));
        readSharedUnits(element, sharedUnits, card, cardName);
        for (const FieldDecl* f : fields) {
            const QString what = QStringLiteral("field %1 of %2").arg(f->name, cardName);
            if (f->through) {
                const FieldDecl* sets = card.field(f->through->sets);
                if (!sets || sets->kind != FieldKind::Unit || !card.units.contains(sets->name))
                    xml_.error(element, QStringLiteral("<through sets=\"%1\"> in %2: expected a unit field of the card's units")
                                            .arg(f->through->sets, what));
            }
            if (!f->numberDate.isEmpty()) {
                const FieldDecl* d = card.field(f->numberDate);
                if (!d || d->kind != FieldKind::Date)
                    xml_.error(element,
                               QStringLiteral("number-date=\"%1\" on %2: expected a date field of the card").arg(f->numberDate, what));
            }
            if (!f->number.isEmpty() && !card.served())
                xml_.error(element, QStringLiteral("number on %1: only a card the host serves numbers its records").arg(what));
            if (!f->fillFrom.isEmpty()) {
                const FieldDecl* from = card.field(f->fillFrom);
                if (!from || from == f || from->kind != f->kind || from->kind == FieldKind::Subform ||
                    (card.isUnit && from->kind == FieldKind::Unit))
                    xml_.error(element, QStringLiteral("fill-from=\"%1\" on %2: expected another field of the card of the same kind (%3), "
                                                       "kept in a column of its own")
                                            .arg(f->fillFrom, what, fieldKindName(f->kind)));
            }
        }
        readWorkflow(element.child("workflow"), card, cardName);
        readDocuments(element, card, cardName);
    }

    // A number's pattern: {seq} or {seq:N} once, and only the `allowed` other placeholders.
    void checkNumber(const pugi::xml_node& at, const QString& number, const QString& what, const QStringList& allowed) {
        static const QRegularExpression numberPart(QStringLiteral("\\{([^}]*)\\}"));
        static const QRegularExpression seq(QStringLiteral("^seq(:[1-9])?$"));
        int seqs = 0;
        for (const auto& m : numberPart.globalMatch(number)) {
            const QString part = m.captured(1);
            if (seq.match(part).hasMatch())
                ++seqs;
            else if (!allowed.contains(part))
                xml_.error(at, QStringLiteral("number=\"%1\" on %2: {%3} is not one of {seq}, {seq:N} (N from 1 to 9 digits), {%4}")
                                   .arg(number, what, part, allowed.join(QStringLiteral("}, {"))));
        }
        if (seqs != 1)
            xml_.error(at,
                       QStringLiteral("number=\"%1\" on %2: a number needs {seq} once, the sequence that never repeats").arg(number, what));
    }

    // <document id template permission unit number>: what a record prints (docs/records.md, "Documents").
    void readDocuments(const pugi::xml_node& element, CardDecl& card, const QString& cardName) {
        QHash<QString, int> ids;
        static const QRegularExpression placeholder(QStringLiteral("\\{\\{\\s*([^}]*?)\\s*\\}\\}"));
        for (pugi::xml_node d : element.children("document")) {
            xml_.checkAttributes(d, {"id", "template", "permission", "unit", "number", "requires"});
            xml_.checkChildren(d, {{"label", 0, unbounded}});
            DocumentDecl doc;
            const auto id = localName(d, "id");
            const auto file = xml_.attribute(d, "template", Presence::Required);
            doc.label = localized(d, "label");
            doc.line = xml_.line(d);
            const QString what = QStringLiteral("document %1 of %2").arg(id.value_or(QString()), cardName);
            if (id) xml_.checkUnique(ids, *id, d, what);
            doc.permissions =
                xml_.attribute(d, "permission", Presence::Optional).value_or(card.writePermission).split(u' ', Qt::SkipEmptyParts);
            for (const QString& permission : std::as_const(doc.permissions))
                if (std::none_of(m_.permissions.begin(), m_.permissions.end(), [&](const PermissionDecl& p) { return p.id == permission; }))
                    xml_.error(d,
                               QStringLiteral("permission=\"%1\" on %2: the manifest declares no such permission").arg(permission, what));
            doc.permission = doc.permissions.value(0);
            doc.unitField = xml_.attribute(d, "unit", Presence::Optional).value_or(card.units.value(0));
            if (!card.units.contains(doc.unitField))
                xml_.error(d, QStringLiteral("unit=\"%1\" on %2: expected one of the units the record belongs to (%3)")
                                  .arg(doc.unitField, what, card.units.join(u' ')));
            if (const auto number = xml_.attribute(d, "number", Presence::Optional)) {
                checkNumber(d, *number, what, {QStringLiteral("year"), QStringLiteral("unitCode")});
                doc.number = *number;
            }
            // requires="goodsTaken": what a record must hold to be printed (a receipt of goods
            // carried back needs the goods).
            doc.mustFill = xml_.attribute(d, "requires", Presence::Optional).value_or(QString()).split(u' ', Qt::SkipEmptyParts);
            for (const QString& name : doc.mustFill) {
                const FieldDecl* f = card.field(name);
                if (!f || f->kind == FieldKind::Subform || f->kind == FieldKind::Attachments)
                    xml_.error(d, QStringLiteral("requires=\"%1\" on %2: %3 is not a field of the card with a value to require")
                                      .arg(doc.mustFill.join(u' '), what, name));
            }
            if (file && !isValidPluginFile(*file))
                xml_.error(d,
                           QStringLiteral("invalid template=\"%1\" on %2: expected a path relative to the plugin folder, without '..' and "
                                          "not starting with '/'")
                               .arg(*file, what));
            else if (file && fileErrors_) {
                // Read once, here: a template that is missing or names what the card lacks stops the plugin with the reason.
                QFile f(QDir::cleanPath(m_.dir + QLatin1Char('/') + *file));
                if (!f.open(QIODevice::ReadOnly)) {
                    xml_.error(d, QStringLiteral("template=\"%1\" on %2: %3").arg(*file, what, f.errorString()));
                } else {
                    doc.templateText = QString::fromUtf8(f.readAll());
                    for (const auto& m : placeholder.globalMatch(doc.templateText)) {
                        const QString name = m.captured(1).section(u'|', 0, 0).section(u'.', 0, 0).trimmed();
                        const QString filter = m.captured(1).section(u'|', 1).trimmed();
                        if (!filter.isEmpty() && !kPlaceholderFilters.contains(filter))
                            xml_.error(d, QStringLiteral("template %1 of %2: {{%3}} has no filter '%4'; expected one of %5")
                                              .arg(*file, what, m.captured(1), filter, kPlaceholderFilters.join(QStringLiteral(", "))));
                        if (filter == u"image" && (!card.attachmentField(name) || !card.attachmentField(name)->accept.contains(u"image")))
                            xml_.error(d,
                                       QStringLiteral("template %1 of %2: {{%3}}: only an attachments field of images prints as an image")
                                           .arg(*file, what, m.captured(1)));
                        if (name != u"document" && !card.field(name) && !card.attachmentField(name) && !kRecordNames.contains(name))
                            xml_.error(d, QStringLiteral("template %1 of %2: {{%3}} names no field of the card (nor document.*)")
                                              .arg(*file, what, m.captured(1)));
                    }
                }
            }
            if (!id || !file) continue;
            doc.id = *id;
            doc.templateFile = *file;
            card.documents.push_back(std::move(doc));
        }
    }

    // units="unitId toUnitId": the record's own unit first, then the others that see it.
    void readSharedUnits(const pugi::xml_node& element, const QStringList& names, CardDecl& card, const QString& cardName) {
        const FieldDecl* own = nullptr;
        for (const FieldDecl* f : card.fields())
            if (f->kind == FieldKind::Unit && (card.isUnit || f->column == u"unit_id")) own = f;
        if (!own) return;
        card.units = QStringList{own->name};
        if (names.isEmpty()) return;
        if (card.isUnit) {
            xml_.error(element, QStringLiteral("units=\"...\" on %1: a card that is a unit belongs to that unit alone").arg(cardName));
            return;
        }
        if (names.value(0) != own->name)
            xml_.error(element, QStringLiteral("units=\"%1\" on %2: the first is the record's own unit, the field kept in unit_id (%3)")
                                    .arg(names.join(u' '), cardName, own->name));
        for (const QString& name : names.mid(1)) {
            const FieldDecl* f = card.field(name);
            if (!f || f->kind != FieldKind::Unit)
                xml_.error(element,
                           QStringLiteral("units=\"%1\" on %2: %3 is not a unit field of the card").arg(names.join(u' '), cardName, name));
            else if (card.units.contains(name))
                xml_.error(element, QStringLiteral("units=\"%1\" on %2: %3 is named twice").arg(names.join(u' '), cardName, name));
            else
                card.units << name;
        }
    }

    // <workflow field="state" start="..."> with its <step>s (docs/records.md, "Workflows").
    void readWorkflow(const pugi::xml_node& element, CardDecl& card, const QString& cardName) {
        if (!element) return;
        xml_.checkAttributes(element, {"field", "start"});
        xml_.checkChildren(element, {{"step", 1, unbounded}});
        const auto fieldName = xml_.attribute(element, "field", Presence::Required);
        const auto start = xml_.attribute(element, "start", Presence::Required);
        if (!fieldName || !start) return;
        FieldDecl* state = nullptr;
        for (auto& s : card.sections)
            for (auto& f : s.fields)
                if (f.name == *fieldName) state = &f;
        if (!state || state->kind != FieldKind::Dropdown) {
            xml_.error(element, QStringLiteral("<workflow field=\"%1\"> in %2: expected a dropdown field of the card, whose "
                                               "dictionary lists the states")
                                    .arg(*fieldName, cardName));
            return;
        }
        // The engine alone sets the state: on a new record, and by the steps.
        state->readOnly = true;
        state->imported = false;
        const DictionaryDecl* states = nullptr;
        for (const auto& d : m_.dictionaries)
            if (d.id == state->dictionary) states = &d;
        auto checkState = [&](const pugi::xml_node& at, const QString& code, const char* attribute) {
            if (states && !states->items.empty() && !states->item(code))
                xml_.error(at, QStringLiteral("%1=\"%2\" in the workflow of %3: not a state (a code of dictionary %4)")
                                   .arg(QString::fromUtf8(attribute), code, cardName, state->dictionary));
        };
        WorkflowDecl w;
        w.field = *fieldName;
        w.starts = start->split(u' ', Qt::SkipEmptyParts);
        w.starts.removeDuplicates();
        for (const QString& s : std::as_const(w.starts)) checkState(element, s, "start");
        if (w.starts.isEmpty())
            xml_.error(element, QStringLiteral("start=\"\" in the workflow of %1: name the state a new record starts in").arg(cardName));
        w.start = w.starts.value(0);
        QHash<QString, int> ids;
        for (pugi::xml_node stepElement : element.children("step")) {
            xml_.checkAttributes(stepElement,
                                 {"id", "from", "to", "permission", "unit", "fields", "requires", "date", "comment", "todo", "by"});
            xml_.checkChildren(stepElement, {{"label", 0, unbounded}});
            StepDecl step;
            const auto id = localName(stepElement, "id");
            const auto from = xml_.attribute(stepElement, "from", Presence::Required);
            const auto to = xml_.attribute(stepElement, "to", Presence::Optional);  // none: the record stays in its state
            const auto permission = xml_.attribute(stepElement, "permission", Presence::Required);
            const auto comment = xml_.attribute(stepElement, "comment", Presence::Optional);
            step.label = localized(stepElement, "label");
            step.line = xml_.line(stepElement);
            // A step that moves the record is waited for; one that keeps its state (a reassignment) is not, by default.
            step.todo = xml_.boolAttribute(stepElement, "todo", Presence::Optional).value_or(to.has_value());
            const QString what = QStringLiteral("step %1 of %2").arg(id.value_or(QString()), cardName);
            if (id) xml_.checkUnique(ids, *id, stepElement, what);
            // A step publishes <events>.<step-id>, beside the record's own events.
            if (id &&
                QStringList{QStringLiteral("created"), QStringLiteral("updated"), QStringLiteral("deleted"), QStringLiteral("imported")}
                    .contains(*id))
                xml_.error(stepElement,
                           QStringLiteral("%1: %2 is the name of an event every record has; name the step by what it does").arg(what, *id));
            step.from = from.value_or(QString()).split(u' ', Qt::SkipEmptyParts);
            for (const QString& code : step.from) checkState(stepElement, code, "from");
            if (to) checkState(stepElement, *to, "to");
            if (permission &&
                std::none_of(m_.permissions.begin(), m_.permissions.end(), [&](const PermissionDecl& p) { return p.id == *permission; }))
                xml_.error(stepElement,
                           QStringLiteral("permission=\"%1\" on %2: the manifest declares no such permission").arg(*permission, what));
            step.unitField = xml_.attribute(stepElement, "unit", Presence::Optional).value_or(card.units.value(0));
            if (!card.units.contains(step.unitField))
                xml_.error(stepElement, QStringLiteral("unit=\"%1\" on %2: expected one of the units the record belongs to (%3)")
                                            .arg(step.unitField, what, card.units.join(u' ')));
            auto fieldList = [&](const char* attribute) {
                const QStringList names =
                    xml_.attribute(stepElement, attribute, Presence::Optional).value_or(QString()).split(u' ', Qt::SkipEmptyParts);
                for (const QString& name : names) {
                    const FieldDecl* f = card.field(name);
                    if (!f || f->name == w.field || f->kind == FieldKind::Subform || f->kind == FieldKind::Unit ||
                        (f->readOnly && std::string_view(attribute) == "fields"))
                        xml_.error(stepElement, QStringLiteral("%1=\"%2\" on %3: %4 is not a field a step can set")
                                                    .arg(QString::fromUtf8(attribute), names.join(u' '), what, name));
                }
                return names;
            };
            step.fields = fieldList("fields");
            step.mustFill = fieldList("requires");
            // by="technician": only the user that field names takes the step (and waits for it).
            if (const auto by = xml_.attribute(stepElement, "by", Presence::Optional)) {
                const FieldDecl* f = card.field(*by);
                if (!f || f->kind != FieldKind::User || f->multiple)
                    xml_.error(stepElement,
                               QStringLiteral("by=\"%1\" on %2: expected a user field of the card naming one user").arg(*by, what));
                step.byField = *by;
            }
            if (const auto date = xml_.attribute(stepElement, "date", Presence::Optional)) {
                const FieldDecl* f = card.field(*date);
                if (!f || f->kind != FieldKind::Date || !step.fields.contains(*date))
                    xml_.error(stepElement,
                               QStringLiteral("date=\"%1\" on %2: expected a date field of its fields=\"...\"").arg(*date, what));
                step.dateField = *date;
            }
            if (comment) {
                if (*comment == u"required")
                    step.comment = StepComment::Required;
                else if (*comment == u"none")
                    step.comment = StepComment::None;
                else if (*comment != u"optional")
                    xml_.error(stepElement,
                               QStringLiteral("comment=\"%1\" on %2: expected optional, required or none").arg(*comment, what));
            }
            if (!id || !permission || step.from.isEmpty()) {
                if (from && step.from.isEmpty())
                    xml_.error(stepElement, QStringLiteral("from=\"\" on %1: name the states it leaves").arg(what));
                continue;
            }
            step.id = *id;
            step.to = to.value_or(QString());
            step.permission = *permission;
            w.steps.push_back(std::move(step));
        }
        card.workflow = std::move(w);
    }

    // is-unit, unit-name and unit-code: a card each of whose records is a unit of the tree.
    void readUnitCard(const pugi::xml_node& element, CardDecl& card, const QString& cardName) {
        const auto isUnit = xml_.attribute(element, "is-unit", Presence::Optional);
        if (isUnit && *isUnit != u"true" && *isUnit != u"false")
            xml_.error(element, QStringLiteral("is-unit=\"%1\" on %2: expected true or false").arg(*isUnit, cardName));
        card.isUnit = isUnit && *isUnit == u"true";
        const auto names = xml_.attribute(element, "unit-name", Presence::Optional);
        const auto code = xml_.attribute(element, "unit-code", Presence::Optional);
        if (!card.isUnit) {
            if (names || code)
                xml_.error(element, QStringLiteral("unit-name and unit-code on %1: only a card with is-unit=\"true\" has them").arg(cardName));
            return;
        }
        if (!names) xml_.error(element, QStringLiteral("%1 is a unit: unit-name must name the text fields that name the unit").arg(cardName));
        for (const QString& name : names.value_or(QString()).split(u' ', Qt::SkipEmptyParts)) {
            const FieldDecl* f = card.field(name);
            if (!f || f->kind != FieldKind::Text)
                xml_.error(element, QStringLiteral("unit-name=\"%1\" on %2: %3 is not a text field of the card").arg(*names, cardName, name));
            card.unitNameFields << name;
        }
        if (code) {
            const FieldDecl* f = card.field(*code);
            if (!f || f->kind != FieldKind::Text)
                xml_.error(element, QStringLiteral("unit-code=\"%1\" on %2: expected a text field of the card").arg(*code, cardName));
            card.unitCodeField = *code;
        }
        if (!card.roll.isEmpty())
            xml_.error(element, QStringLiteral("roll on %1: a card that is a unit has no roll; its unit is removed with it").arg(cardName));
    }

    // accept, max-count and max-size of an attachments field (docs/records.md, "Attachments"),
    // which has nothing of a table's column.
    void readAttachmentRules(const pugi::xml_node& element, FieldDecl& f, const QString& what) {
        for (const char* attribute : {"column", "unique", "search", "filter", "index", "sort", "export", "import", "read-only", "header",
                                      "required"})
            if (element.attribute(attribute))
                xml_.error(element, QStringLiteral("%1 on %2: an attachments field keeps its files apart from the card's table, so it has "
                                                   "no %1")
                                        .arg(QString::fromUtf8(attribute), what));
        f.accept = fileKinds();
        if (const auto accept = xml_.attribute(element, "accept", Presence::Optional)) {
            const QStringList kinds = accept->split(u' ', Qt::SkipEmptyParts);
            if (kinds.isEmpty())
                xml_.error(element, QStringLiteral("empty accept on %1: list the kinds of file it takes, some of %2")
                                        .arg(what, fileKinds().join(u' ')));
            for (const QString& k : kinds)
                if (!fileKinds().contains(k))
                    xml_.error(element, QStringLiteral("accept=\"%1\" on %2: %3 is not a kind of file; expected some of %4")
                                            .arg(*accept, what, k, fileKinds().join(u' ')));
            if (!kinds.isEmpty()) f.accept = kinds;
            f.accept.removeDuplicates();
        }
        f.maxCount = static_cast<int>(xml_.intAttribute(element, "max-count", Presence::Optional, 1, 1000).value_or(20));
        // capture="signature": drawn in the shell on a pad and kept as a PNG, so an image.
        if (const auto capture = xml_.attribute(element, "capture", Presence::Optional)) {
            if (*capture != u"signature")
                xml_.error(element,
                           QStringLiteral("capture=\"%1\" on %2: expected signature (drawn on a pad in the browser)").arg(*capture, what));
            else if (!f.accept.contains(QStringLiteral("image")))
                xml_.error(
                    element,
                    QStringLiteral("capture=\"signature\" on %1: a signature is kept as a PNG image, so accept must take image").arg(what));
            else
                f.capture = *capture;
        }
        // write="...": the files are someone else's to add than the card's (the customer's
        // signature, taken by the technician who may not change the ticket).
        if (const auto write = xml_.attribute(element, "write", Presence::Optional)) {
            if (std::none_of(m_.permissions.begin(), m_.permissions.end(), [&](const PermissionDecl& p) { return p.id == *write; }))
                xml_.error(element, QStringLiteral("write=\"%1\" on %2: the manifest declares no such permission").arg(*write, what));
            f.filesWrite = *write;
        }
        f.maxSize = qint64{50} << 20;
        if (const auto size = xml_.attribute(element, "max-size", Presence::Optional)) {
            if (const auto bytes = parseByteSize(*size)) f.maxSize = *bytes;
            else
                xml_.error(element, QStringLiteral("max-size=\"%1\" on %2: expected the largest file as a size such as 200MB, 2GB or "
                                                   "512KB")
                                        .arg(*size, what));
        }
    }

    // <through card field unit when sets> of a reference field; the names are checked against
    // the cards when the host links them (the other card may be another plugin's).
    std::optional<ThroughDecl> readThrough(const pugi::xml_node& element, const QString& what) {
        xml_.checkAttributes(element, {"card", "field", "unit", "when", "sets"});
        xml_.checkChildren(element, {});
        ThroughDecl t;
        t.line = xml_.line(element);
        const auto card = xml_.attribute(element, "card", Presence::Required);
        const auto field = xml_.attribute(element, "field", Presence::Required);
        const auto unit = xml_.attribute(element, "unit", Presence::Required);
        const auto sets = xml_.attribute(element, "sets", Presence::Required);
        if (!card || !field || !unit || !sets) return std::nullopt;
        static const QRegularExpression cardRef(QStringLiteral("^[a-z][a-z0-9]*(\\.[a-z][a-z0-9-]*)+/[a-z][a-z0-9-]*$"));
        if (!cardRef.match(*card).hasMatch()) {
            xml_.error(element,
                       QStringLiteral("invalid card=\"%1\" on <through> in %2: expected <plugin-id>/<card-id>, like party.flow/flow")
                           .arg(*card, what));
            return std::nullopt;
        }
        const QString plugin = card->section(u'/', 0, 0);
        if (plugin != m_.id &&
            std::none_of(m_.dependencies.begin(), m_.dependencies.end(), [&](const DependencyDecl& d) { return d.id == plugin; }))
            xml_.error(element, QStringLiteral("<through card=\"%1\"> in %2: plugin %3 is not a dependency of this one (an optional one "
                                               "will do: without it running, nothing is reached through it)")
                                    .arg(*card, what, plugin));
        if (const auto when = xml_.attribute(element, "when", Presence::Optional)) {
            t.whenField = when->section(u'=', 0, 0).trimmed();
            t.whenCode = when->section(u'=', 1).trimmed();
            if (t.whenField.isEmpty() || t.whenCode.isEmpty() || !when->contains(u'='))
                xml_.error(element, QStringLiteral("when=\"%1\" on <through> in %2: expected field=code, like state=out").arg(*when, what));
        }
        t.card = *card;
        t.field = *field;
        t.unit = *unit;
        t.sets = *sets;
        return t;
    }

    // A card field; `subform` is the subform holding it, or nullptr for a section's field.
    std::optional<FieldDecl> readField(const pugi::xml_node& element, const FieldDecl* subform) {
        xml_.checkAttributes(element,
                             {"name",      "kind",       "required",  "dictionary", "max-length", "min-length", "min",         "max",
                              "column",    "unique",     "search",    "filter",     "index",      "sort",       "export",      "import",
                              "read-only", "header",     "pattern",   "not-future", "scale",      "card",       "reach",       "create",
                              "roll",      "accept",     "max-count", "max-size",   "fill-from",  "number",     "number-date", "capture",
                              "write",     "permission", "default",   "multiple",   "counted"});
        xml_.checkChildren(
            element,
            {{"label", 0, unbounded}, {"field", 0, unbounded}, {"hint", 0, unbounded}, {"alias", 0, unbounded}, {"through", 0, 1}});
        FieldDecl f;
        const auto fieldName = jsonName(element, "name");
        const auto kind = enumAttribute(element, "kind", Presence::Required, fieldKinds);
        const auto requirement = enumAttribute(element, "required", Presence::Optional, requirements);
        const auto maxLength = xml_.intAttribute(element, "max-length", Presence::Optional);
        const auto min = decimalAttribute(element, "min");
        const auto max = decimalAttribute(element, "max");
        f.label = localized(element, "label");
        const QString what = named("field", fieldName);
        const auto misplaced = [&](const char* attribute, const QString& rule) {
            if (element.attribute(attribute))
                xml_.error(element, QStringLiteral("%1 on %2: %3").arg(QString::fromUtf8(attribute), what, rule));
        };
        if (kind) {
            f.kind = *kind;
            f.dictionary = dictionaryReference(element, *kind == FieldKind::Dropdown, what);
            if (!isTextKind(*kind)) {
                misplaced("max-length", QStringLiteral("only text and textarea fields have a max-length"));
                misplaced("min-length", QStringLiteral("only text and textarea fields have a min-length"));
                misplaced("pattern", QStringLiteral("only text and textarea fields have a pattern"));
                misplaced("search", QStringLiteral("only text and textarea fields are searched"));
            }
            if (!isNumericKind(*kind)) {
                misplaced("min", QStringLiteral("only number, integer and decimal fields have a min"));
                misplaced("max", QStringLiteral("only number, integer and decimal fields have a max"));
            }
            if (*kind != FieldKind::Decimal) misplaced("scale", QStringLiteral("only decimal fields have a scale"));
            if (*kind != FieldKind::Date && *kind != FieldKind::DateTime)
                misplaced("not-future", QStringLiteral("only date and datetime fields can be kept out of the future"));
            if (*kind != FieldKind::Reference) {
                misplaced("card", QStringLiteral("only reference fields name a card"));
                misplaced("create", QStringLiteral("only reference fields create the record they refer to"));
                misplaced("roll", QStringLiteral("only reference fields pick records on or off a roll"));
            }
            if (*kind != FieldKind::Unit && *kind != FieldKind::Reference)
                misplaced("reach", QStringLiteral("only unit and reference fields have a reach"));
            if (*kind == FieldKind::Attachments) readAttachmentRules(element, f, what);
            else
                for (const char* attribute : {"accept", "max-count", "max-size", "capture", "write"})
                    misplaced(attribute, QStringLiteral("only attachments fields take files"));
        }
        if (const auto reach = xml_.attribute(element, "reach", Presence::Optional); reach && kind == FieldKind::Reference) {
            if (*reach != u"above" && *reach != u"scope")
                xml_.error(element, QStringLiteral("reach=\"%1\" on %2: expected scope (records the writer may read, the default) or "
                                                   "above (also those of the record's unit and the units above it, like a head "
                                                   "office's catalogue)")
                                        .arg(*reach, what));
            f.reachAbove = *reach == u"above";
        } else if (reach) {
            if (*reach != u"tree" && *reach != u"scope")
                xml_.error(element, QStringLiteral("reach=\"%1\" on %2: expected scope (a unit the writer may change, the default) or "
                                                   "tree (any unit of the tree, like a transfer's destination)")
                                        .arg(*reach, what));
            f.anyUnit = *reach == u"tree";
        }
        if (const auto roll = xml_.attribute(element, "roll", Presence::Optional)) {
            if (*roll != u"all" && *roll != u"current")
                xml_.error(element, QStringLiteral("roll=\"%1\" on %2: expected current (records on the target's roll, the default) or "
                                                   "all (those off it too, like a member who comes back)")
                                        .arg(*roll, what));
            f.anyRoll = *roll == u"all";
        }
        f.line = xml_.line(element);
        f.column = xml_.attribute(element, "column", Presence::Optional).value_or(snakeCase(fieldName.value_or(QString())));
        auto flag = [&](const char* attribute, bool fallback) { return xml_.boolAttribute(element, attribute, Presence::Optional).value_or(fallback); };
        f.unique = flag("unique", false);
        f.search = flag("search", false);
        f.filter = flag("filter", false);
        f.indexed = flag("index", true);
        f.sort = flag("sort", false);
        // A subform's rows do not fit a spreadsheet's cells: not exported or imported unless asked.
        f.exported = flag("export", kind != FieldKind::Subform);
        f.readOnly = flag("read-only", false);
        f.imported = flag("import", !f.readOnly && kind != FieldKind::Subform);
        f.notFuture = flag("not-future", false);
        f.createsTarget = flag("create", false);
        // Several users in one field (a ticket's assistants): filtered by any of them, never
        // sorted, counted by, unique, defaulted or the one who takes a step.
        f.multiple = flag("multiple", false);
        if (f.multiple && kind && *kind != FieldKind::User)
            xml_.error(element, QStringLiteral("multiple on %1: only a user field names several users").arg(what));
        else if (f.multiple && (f.sort || f.unique || element.attribute("default")))
            xml_.error(element, QStringLiteral("multiple on %1: a field of several users is not sorted, unique or defaulted").arg(what));
        if (f.multiple) f.indexed = false;  // matched by containment, which no index serves
        // Counts kept up to date as records change (records.md, "Counts kept up to date"): one value per record
        // that the whole table is counted by, so not text, several users or a subform.
        f.counted = flag("counted", false);
        if (f.counted && kind &&
            (f.multiple || *kind == FieldKind::Text || *kind == FieldKind::Textarea || *kind == FieldKind::Subform ||
             *kind == FieldKind::Attachments || *kind == FieldKind::Number))
            xml_.error(element, QStringLiteral("counted on %1: counts are kept of fields with few values, one per record (a drop-down, "
                                               "checkbox, date, date-time, integer, decimal, unit, reference or user), not of %2")
                                    .arg(what, f.multiple ? QStringLiteral("several users") : fieldKindName(*kind)));
        else if (f.counted && subform)
            xml_.error(element, QStringLiteral("counted on %1: a subform's rows are not counted; put the field on the card").arg(what));
        f.header = xml_.attribute(element, "header", Presence::Optional).value_or(QString());
        // Other headers imports accept for the field's column (身份证号 for 公民身份号码).
        for (pugi::xml_node aliasElement : element.children("alias")) {
            xml_.checkAttributes(aliasElement, {});
            const QString text = trimXmlSpace(QString::fromUtf8(aliasElement.text().get()));
            if (text.isEmpty()) xml_.error(aliasElement, QStringLiteral("<alias> in %1 is empty: write another header of the column").arg(what));
            else f.aliases << text;
        }
        if (const auto minLength = xml_.intAttribute(element, "min-length", Presence::Optional, 0, 1000000)) f.minLength = static_cast<int>(*minLength);
        if (const auto scale = xml_.intAttribute(element, "scale", Presence::Optional, 0, 6)) f.scale = static_cast<int>(*scale);
        if (const auto pattern = xml_.attribute(element, "pattern", Presence::Optional)) {
            const QRegularExpression re(*pattern);
            if (!re.isValid())
                xml_.error(element, QStringLiteral("pattern=\"%1\" on %2 is not a regular expression: %3").arg(*pattern, what, re.errorString()));
            f.pattern = *pattern;
            f.patternHint = localized(element, "hint");
        } else if (element.child("hint")) {
            xml_.error(element.child("hint"), QStringLiteral("<hint> in %1: a hint says what a pattern asks for, and there is no pattern").arg(what));
        }
        if (kind == FieldKind::Reference) {
            static const QRegularExpression cardRef(QStringLiteral("^[a-z][a-z0-9]*(\\.[a-z][a-z0-9-]*)+/[a-z][a-z0-9-]*$"));
            const auto target = xml_.attribute(element, "card", Presence::Required);
            if (target && !cardRef.match(*target).hasMatch())
                xml_.error(element, QStringLiteral("invalid card=\"%1\" on %2: expected <plugin-id>/<card-id>, like biz.customers/customer")
                                        .arg(*target, what));
            else if (target) {
                const QString plugin = target->section(u'/', 0, 0);
                if (plugin != m_.id && std::none_of(m_.dependencies.begin(), m_.dependencies.end(),
                                                    [&](const DependencyDecl& d) { return d.id == plugin && !d.optional; }))
                    xml_.error(element, QStringLiteral("%1 refers to card %2, but plugin %3 is not a required dependency of this one")
                                            .arg(what, *target, plugin));
                f.reference = *target;
            }
            if (const auto through = element.child("through")) f.through = readThrough(through, what);
        } else if (const auto through = element.child("through")) {
            xml_.error(through, QStringLiteral("<through> in %1: only a reference field reaches records through another card").arg(what));
        }
        // A user field: someone who holds a duty (the permission) where the record belongs.
        if (kind == FieldKind::User) {
            if (subform)
                xml_.error(element, QStringLiteral("%1: a subform's fields do not name users; put the field on the card").arg(what));
            if (const auto permission = xml_.attribute(element, "permission", Presence::Required)) {
                if (std::none_of(m_.permissions.begin(), m_.permissions.end(),
                                 [&](const PermissionDecl& p) { return p.id == *permission; }))
                    xml_.error(element,
                               QStringLiteral("permission=\"%1\" on %2: the manifest declares no such permission").arg(*permission, what));
                f.permission = *permission;
            }
            if (const auto byDefault = xml_.attribute(element, "default", Presence::Optional)) {
                if (*byDefault != u"me")
                    xml_.error(element, QStringLiteral("default=\"%1\" on %2: a user field's default can only be \"me\" (whoever creates "
                                                       "the record)")
                                            .arg(*byDefault, what));
                f.defaultMe = *byDefault == u"me";
            }
        } else if (element.attribute("permission")) {
            xml_.error(element, QStringLiteral("permission on %1: only user fields name the permission their user holds").arg(what));
        }
        if (kind != FieldKind::User && element.attribute("default"))
            xml_.error(element, QStringLiteral("default on %1: only a user field has a default (\"me\")").arg(what));
        f.fillFrom = xml_.attribute(element, "fill-from", Presence::Optional).value_or(QString());
        // A numbered field: the engine's to fill, once, and unique.
        if (const auto number = xml_.attribute(element, "number", Presence::Optional)) {
            if (kind != FieldKind::Text || subform)
                xml_.error(element, QStringLiteral("number on %1: only a card's text fields are numbered").arg(what));
            checkNumber(element, *number, what,
                        {QStringLiteral("year"), QStringLiteral("month"), QStringLiteral("day"), QStringLiteral("date"),
                         QStringLiteral("unitCode")});
            if (number->contains(QStringLiteral("{month}")) && !number->contains(QStringLiteral("{year}")))
                xml_.error(element, QStringLiteral("number=\"%1\" on %2: {month} needs {year} beside it").arg(*number, what));
            if (number->contains(QStringLiteral("{day}")) &&
                !(number->contains(QStringLiteral("{year}")) && number->contains(QStringLiteral("{month}"))))
                xml_.error(
                    element,
                    QStringLiteral("number=\"%1\" on %2: {day} needs {year} and {month} beside it (or write {date})").arg(*number, what));
            f.number = *number;
            f.readOnly = true;
            f.imported = false;
            f.unique = true;
            f.numberDate = xml_.attribute(element, "number-date", Presence::Optional).value_or(QString());
        } else if (element.attribute("number-date")) {
            xml_.error(element, QStringLiteral("number-date on %1: only a numbered field (number=\"...\") has one").arg(what));
        }
        if (subform && !f.fillFrom.isEmpty())
            xml_.error(element, QStringLiteral("fill-from on %1: a subform's fields have no column of their own").arg(what));
        if (min && max && *min > *max)
            xml_.error(element, QStringLiteral("min=\"%1\" is greater than max=\"%2\" on %3")
                                    .arg(QString::fromUtf8(element.attribute("min").value()),
                                         QString::fromUtf8(element.attribute("max").value()), what));
        const bool isSubform = kind == FieldKind::Subform;
        if (subform) {
            if (kind == FieldKind::Subform || kind == FieldKind::Unit || kind == FieldKind::Attachments)
                xml_.error(element, QStringLiteral("%1 in subform %2: a subform's fields cannot be of kind %3")
                                        .arg(what, subform->name, fieldKindName(*kind)));
            if (const auto nested = element.child("field"))
                xml_.error(nested, QStringLiteral("<field> in %1, which is in subform %2: subforms do not nest")
                                       .arg(what, subform->name));
        } else if (isSubform) {
            if (requirement == Requirement::System)
                xml_.error(element, QStringLiteral("required=\"system\" on subform %1: a subform is required or "
                                                   "optional")
                                        .arg(fieldName.value_or(QString())));
            if (!element.child("field"))
                xml_.error(element, QStringLiteral("subform %1 has no <field>").arg(fieldName.value_or(QString())));
            f.name = fieldName.value_or(QString());
            QHash<QString, int> seen;
            for (pugi::xml_node childElement : element.children("field")) {
                auto child = readField(childElement, &f);
                if (!child) continue;
                xml_.checkUnique(seen, child->name, childElement,
                                 QStringLiteral("field %1 in subform %2").arg(child->name, f.name));
                f.children.push_back(std::move(*child));
            }
        } else if (kind) {
            if (const auto nested = element.child("field"))
                xml_.error(nested, QStringLiteral("<field> in %1 of kind %2: only a subform has fields")
                                       .arg(what, fieldKindName(*kind)));
        }
        // Kept with a bad kind too, so that list columns can refer to it.
        if (!fieldName) return std::nullopt;
        f.name = *fieldName;
        f.requirement = requirement.value_or(Requirement::Optional);
        if (maxLength) f.maxLength = static_cast<int>(*maxLength);
        f.min = min;
        f.max = max;
        return f;
    }

    void readList(const pugi::xml_node& element) {
        xml_.checkAttributes(element, {"id", "resource", "card", "page-size", "export", "import"});
        xml_.checkChildren(element, {{"label", 0, unbounded}, {"column", 1, unbounded}, {"filter", 0, unbounded}});
        ListDecl list;
        const auto id = localName(element, "id");
        const auto path = resource(element);
        const auto cardId = xml_.attribute(element, "card", Presence::Optional);
        const auto pageSize = xml_.intAttribute(element, "page-size", Presence::Optional, 1, 200);
        const auto exportPath = resource(element, "export", Presence::Optional);
        const auto importPath = resource(element, "import", Presence::Optional);
        list.label = localized(element, "label");
        const QString listName = named("list", id);
        const CardDecl* card = cardId ? m_.card(*cardId) : nullptr;
        if (cardId && !card)
            xml_.error(element, QStringLiteral("%1 opens card \"%2\", which this manifest does not declare")
                                    .arg(listName, *cardId));
        QHash<QString, int> columnFields;
        for (pugi::xml_node columnElement : element.children("column")) {
            xml_.checkLeaf(columnElement, {"field", "width"});
            const auto field = jsonName(columnElement, "field");
            const auto width = xml_.intAttribute(columnElement, "width", Presence::Optional);
            if (!field) continue;
            xml_.checkUnique(columnFields, *field, columnElement,
                             QStringLiteral("column %1 in %2").arg(*field, listName));
            if (card && !card->field(*field))
                xml_.error(columnElement, QStringLiteral("column %1 of %2 is not a field of card %3")
                                              .arg(*field, listName, card->id));
            ColumnDecl column{*field, std::nullopt};
            if (width) column.width = static_cast<int>(*width);
            list.columns.push_back(std::move(column));
        }
        QHash<QString, int> params;
        for (pugi::xml_node filterElement : element.children("filter")) {
            xml_.checkAttributes(filterElement, {"param", "kind", "dictionary"});
            xml_.checkChildren(filterElement, {{"label", 0, unbounded}});
            FilterDecl filter;
            const auto param = jsonName(filterElement, "param");
            const auto kind = enumAttribute(filterElement, "kind", Presence::Required, filterKinds);
            filter.label = localized(filterElement, "label");
            const QString what = named("filter", param);
            if (kind) filter.dictionary = dictionaryReference(filterElement, *kind == FilterKind::Dropdown, what);
            if (param)
                xml_.checkUnique(params, *param, filterElement, QStringLiteral("filter %1 in %2").arg(*param, listName));
            if (!param || !kind) continue;
            filter.param = *param;
            filter.kind = *kind;
            list.filters.push_back(std::move(filter));
        }
        if (!id || !path) return;
        list.id = *id;
        list.resource = *path;
        list.card = cardId.value_or(QString());
        list.pageSize = static_cast<int>(pageSize.value_or(20));
        list.exportResource = exportPath.value_or(QString());
        list.importResource = importPath.value_or(QString());
        m_.lists.push_back(std::move(list));
    }

    XmlReader& xml_;
    Manifest& m_;
    std::vector<FileError>* fileErrors_;
};

}  // namespace

bool isValidName(const QString& name) {
    if (name.isEmpty() || !(name[0] >= u'a' && name[0] <= u'z')) return false;
    return std::all_of(name.begin(), name.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-';
    });
}

bool isValidJsonName(const QString& name) {
    const auto isLetter = [](QChar c) { return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z'); };
    if (name.isEmpty() || !isLetter(name[0])) return false;
    return std::all_of(name.begin(), name.end(), [&](QChar c) { return isLetter(c) || (c >= u'0' && c <= u'9'); });
}

QString fieldKindName(FieldKind kind) { return enumName(fieldKinds, kind); }
QString requirementName(Requirement requirement) { return enumName(requirements, requirement); }
QString filterKindName(FilterKind kind) { return enumName(filterKinds, kind); }
QString chartKindName(ChartKind kind) { return enumName(chartKinds, kind); }
QString chartSeriesKindName(ChartSeriesKind kind) { return enumName(chartSeriesKinds, kind); }
QString reportParamKindName(ReportParamKind kind) { return enumName(reportParamKinds, kind); }
QString reportColumnKindName(ReportColumnKind kind) { return enumName(reportColumnKinds, kind); }

bool isValidPluginId(const QString& id) {
    const QStringList segments = id.split(u'.');
    return segments.size() >= 2 && std::all_of(segments.begin(), segments.end(), isValidName);
}

std::optional<QVariant> SettingDecl::convert(const QString& text) const {
    switch (type) {
    case SettingType::Int:
        if (const auto n = parseXmlInteger(text)) return QVariant::fromValue(static_cast<qint64>(*n));
        return std::nullopt;
    case SettingType::Number: {
        bool ok = false;
        const double d = trimXmlSpace(text).toDouble(&ok);
        if (ok && std::isfinite(d)) return QVariant(d);
        return std::nullopt;
    }
    case SettingType::Bool:
        if (text == u"true") return QVariant(true);
        if (text == u"false") return QVariant(false);
        return std::nullopt;
    case SettingType::String: return QVariant(text);
    }
    return std::nullopt;
}

namespace {

// Manifest::parse, and with `fileErrors` also the dictionary files (Manifest::load).
Parsed<Manifest> parseManifest(const QByteArray& xml, const QString& fileForMessages,
                               std::vector<FileError>* fileErrors) {
    XmlReader reader(xml, fileForMessages);
    Manifest m;
    m.file = QDir::cleanPath(QFileInfo(fileForMessages).absoluteFilePath());
    m.dir = QFileInfo(m.file).absolutePath();
    if (const auto root = reader.root("plugin")) ManifestReader(reader, m, fileErrors).read(root);
    Parsed<Manifest> parsed = reader.finish(std::move(m));
    if (fileErrors && !fileErrors->empty()) {
        parsed.value.reset();
        parsed.errors.insert(parsed.errors.end(), fileErrors->begin(), fileErrors->end());
    }
    return parsed;
}

}  // namespace

Parsed<Manifest> Manifest::load(const QString& path) {
    const QString file = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    FileError error;
    const auto xml = readXmlFile(file, error);
    if (!xml) return {std::nullopt, {error}};
    std::vector<FileError> fileErrors;
    return parseManifest(*xml, file, &fileErrors);
}

Parsed<Manifest> Manifest::parse(const QByteArray& xml, const QString& fileForMessages) {
    return parseManifest(xml, fileForMessages, nullptr);
}

QString Manifest::libraryPath() const {
    return dir + QStringLiteral("/lib") + library + QStringLiteral(".so");
}

const FeatureDecl* Manifest::feature(const QString& featureName) const {
    for (const auto& f : features)
        if (f.name == featureName) return &f;
    return nullptr;
}

const SettingDecl* Manifest::setting(const QString& settingName) const {
    for (const auto& s : settings)
        if (s.name == settingName) return &s;
    return nullptr;
}

const DictionaryDecl* Manifest::dictionary(const QString& dictionaryId) const {
    for (const auto& d : dictionaries)
        if (d.id == dictionaryId) return &d;
    return nullptr;
}

const ListDecl* Manifest::list(const QString& listId) const {
    for (const auto& l : lists)
        if (l.id == listId) return &l;
    return nullptr;
}

const CardDecl* Manifest::card(const QString& cardId) const {
    for (const auto& c : cards)
        if (c.id == cardId) return &c;
    return nullptr;
}

const DictionaryItem* DictionaryDecl::item(const QString& itemCode) const {
    for (const auto& i : items)
        if (i.code == itemCode) return &i;
    return nullptr;
}

const FieldDecl* FieldDecl::child(const QString& childName) const {
    for (const auto& c : children)
        if (c.name == childName) return &c;
    return nullptr;
}

QString FieldDecl::columnHeader() const {
    if (!header.isEmpty()) return header;
    return label.zhCN.isEmpty() ? name : label.zhCN;
}

std::vector<const FieldDecl*> CardDecl::fields() const {
    std::vector<const FieldDecl*> out;
    for (const auto& s : sections)
        for (const auto& f : s.fields)
            if (f.kind != FieldKind::Attachments) out.push_back(&f);
    return out;
}

std::vector<const FieldDecl*> CardDecl::attachmentFields() const {
    std::vector<const FieldDecl*> out;
    for (const auto& s : sections)
        for (const auto& f : s.fields)
            if (f.kind == FieldKind::Attachments) out.push_back(&f);
    return out;
}

const FieldDecl* CardDecl::attachmentField(const QString& fieldName) const {
    for (const FieldDecl* f : attachmentFields())
        if (f->name == fieldName) return f;
    return nullptr;
}

const DocumentDecl* CardDecl::document(const QString& documentId) const {
    for (const auto& d : documents)
        if (d.id == documentId) return &d;
    return nullptr;
}

const StepDecl* WorkflowDecl::step(const QString& id) const {
    for (const auto& s : steps)
        if (s.id == id) return &s;
    return nullptr;
}

QString numberText(const QString& pattern, const QDate& day, qint64 seq, const QString& unitCode) {
    static const QRegularExpression seqPart(QStringLiteral("\\{seq(?::([1-9]))?\\}"));
    QString number = pattern;
    number.replace(QStringLiteral("{date}"), day.toString(QStringLiteral("yyyyMMdd")))
        .replace(QStringLiteral("{year}"), QString::number(day.year()))
        .replace(QStringLiteral("{month}"), QStringLiteral("%1").arg(day.month(), 2, 10, QLatin1Char('0')))
        .replace(QStringLiteral("{day}"), QStringLiteral("%1").arg(day.day(), 2, 10, QLatin1Char('0')))
        .replace(QStringLiteral("{unitCode}"), unitCode);
    for (auto m = seqPart.match(number); m.hasMatch(); m = seqPart.match(number))
        number.replace(m.capturedStart(), m.capturedLength(), QStringLiteral("%1").arg(seq, m.captured(1).toInt(), 10, QLatin1Char('0')));
    return number;
}

QString numberPeriod(const QString& pattern, const QDate& day) {
    if (pattern.contains(QStringLiteral("{date}")) || pattern.contains(QStringLiteral("{day}")))
        return day.toString(QStringLiteral("yyyyMMdd"));
    if (pattern.contains(QStringLiteral("{month}"))) return day.toString(QStringLiteral("yyyyMM"));
    if (pattern.contains(QStringLiteral("{year}"))) return QString::number(day.year());
    return QString();
}

const FieldDecl* CardDecl::unitField() const {
    if (!units.isEmpty()) return field(units.front());
    for (const auto& s : sections)
        for (const auto& f : s.fields)
            if (f.kind == FieldKind::Unit) return &f;
    return nullptr;
}

const FieldDecl* CardDecl::field(const QString& fieldName) const {
    for (const auto& s : sections)
        for (const auto& f : s.fields)
            if (f.name == fieldName && f.kind != FieldKind::Attachments) return &f;
    return nullptr;
}

}  // namespace tessera::host
