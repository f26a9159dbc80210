#include "app/record_routes.hpp"

#include <algorithm>

namespace tessera::host {

std::vector<RecordRoute> recordRoutes(RecordCards& cards) {
    std::vector<RecordRoute> out;
    using M = tessera::Method;
    for (const auto& c : cards.all()) {
        RecordCard* card = c.get();
        const QString base = QStringLiteral("/api/v1/%1/%2").arg(card->pluginId(), card->card().resource);
        const QString read = card->card().readPermission, write = card->card().writePermission;
        auto add = [&](M method, const QString& suffix, const QString& permission, tessera::Response (RecordCard::*handler)(const tessera::Request&)) {
            out.push_back({card->pluginId(), HostRoute{method, base + suffix, permission, [card, handler](const tessera::Request& r) {
                                                           return (card->*handler)(r);
                                                       }}});
        };
        add(M::Get, QString(), read, &RecordCard::list);
        add(M::Get, QStringLiteral("/counts"), read, &RecordCard::counts);
        add(M::Post, QStringLiteral("/export"), read, &RecordCard::exportList);
        add(M::Post, QStringLiteral("/import"), write, &RecordCard::importFile);
        add(M::Get, QStringLiteral("/{id}"), read, &RecordCard::get);
        add(M::Get, QStringLiteral("/{id}/history"), read, &RecordCard::history);
        add(M::Post, QString(), write, &RecordCard::create);
        add(M::Put, QStringLiteral("/{id}"), write, &RecordCard::update);
        add(M::Delete, QStringLiteral("/{id}"), write, &RecordCard::remove);
        const auto fields = card->card().fields();
        // A user field someone picks a person for: in an edit, or in a step (a read-only one
        // copied from another record, a survey's technician, is never picked).
        const auto& steps = card->card().workflow.steps;
        const auto picked = [&](const FieldDecl* f) {
            return f->kind == FieldKind::User &&
                   (!f->readOnly || std::any_of(steps.begin(), steps.end(), [&](const StepDecl& s) { return s.fields.contains(f->name); }));
        };
        // Reading is the route's permission; the picker answers whoever may set the field there
        // (the card's writer, or one who may take a step that sets it: a warehouse assigning).
        if (std::any_of(fields.begin(), fields.end(), picked)) add(M::Get, QStringLiteral("/people/{field}"), read, &RecordCard::people);
        if (std::any_of(fields.begin(), fields.end(), [](const FieldDecl* f) { return f->reachAbove; }))
            add(M::Get, QStringLiteral("/choices/{field}"), write, &RecordCard::choices);
        if (card->card().workflow.declared()) {
            // Reading the record is the route's permission; each step checks its own.
            add(M::Get, QStringLiteral("/{id}/steps"), read, &RecordCard::steps);
            add(M::Post, QStringLiteral("/{id}/steps/{step}"), read, &RecordCard::takeStep);
        }
        if (!card->card().attachmentFields().empty()) {
            // Reading the record is the route's permission; a change checks the write permission at its unit.
            add(M::Get, QStringLiteral("/{id}/attachments/{field}"), read, &RecordCard::attachments);
            add(M::Post, QStringLiteral("/{id}/attachments/{field}"), read, &RecordCard::attach);
            add(M::Get, QStringLiteral("/{id}/attachments/{field}/{attachment}"), read, &RecordCard::attachment);
            add(M::Delete, QStringLiteral("/{id}/attachments/{field}/{attachment}"), read, &RecordCard::detach);
        }
        if (!card->card().documents.empty()) {
            // Reading the record is the route's permission; printing checks the document's own.
            add(M::Get, QStringLiteral("/{id}/documents"), read, &RecordCard::documents);
            add(M::Post, QStringLiteral("/{id}/documents/{document}"), read, &RecordCard::printDocument);
            add(M::Get, QStringLiteral("/{id}/printed/{copy}"), read, &RecordCard::printedCopy);
        }
    }
    return out;
}

}  // namespace tessera::host
