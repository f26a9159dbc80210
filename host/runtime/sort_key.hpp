#pragma once
// The sort key behind the SDK's Context::sortKey: Chinese names in pinyin order, through ICU.

#include <QByteArray>
#include <QString>

namespace tessera::host {

/// ICU's zh collation sort key of `text` (pinyin order for Han characters), as bytes that
/// compare with memcmp; one collator per thread.
QByteArray zhSortKey(const QString& text);

}  // namespace tessera::host
