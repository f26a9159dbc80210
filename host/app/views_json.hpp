#pragma once
// What the web shell needs to render a plugin's generic pages: its dictionaries, lists and
// cards as declared in manifest.xml (docs/manifests.md), in JSON with camelCase keys and
// labels as {"zh-CN": ..., "en": ...}:
//   {"dictionaries": [{id, label, items: [{code, label}]}],
//    "lists": [{id, resource, card?, pageSize, label, columns: [{field, width?}],
//               filters: [{param, kind, dictionary?, label}]}],
//    "cards": [{id, resource, label, sections: [{id, label, fields: [
//               {name, kind, required, dictionary?, maxLength?, min?, max?, label, fields?}]}]}]}
// Optional keys are left out when the manifest does not set them; "fields" appears on
// subform fields only. Everything is in manifest order.

#include "runtime/manifest.hpp"

#include <QJsonObject>

namespace tessera::host {

QJsonObject viewsJson(const Manifest& manifest);

}  // namespace tessera::host
