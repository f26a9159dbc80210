#include "runtime/sort_key.hpp"

#include <unicode/ucol.h>

#include <QtGlobal>

#include <memory>
#include <mutex>

namespace tessera::host {

QByteArray zhSortKey(const QString& text) {
    struct Close {
        void operator()(UCollator* c) const { ucol_close(c); }
    };
    // A collator is not shared between threads; each thread opens its own once.
    thread_local std::unique_ptr<UCollator, Close> collator = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<UCollator, Close> c(ucol_open("zh", &status));
        // Without ICU's zh data names would not sort by pinyin: say so once, loudly.
        static std::once_flag warned;
        if (U_FAILURE(status) || status == U_USING_DEFAULT_WARNING)
            std::call_once(warned, [status] {
                qWarning("ICU has no zh collation (%s): names sort by code point, not pinyin", u_errorName(status));
            });
        return U_FAILURE(status) ? nullptr : std::move(c);
    }();
    if (!collator) return text.toUtf8();  // no ICU data: code point order rather than nothing
    const auto* chars = reinterpret_cast<const UChar*>(text.utf16());
    QByteArray key(64, '\0');
    int32_t size = ucol_getSortKey(collator.get(), chars, static_cast<int32_t>(text.size()),
                                   reinterpret_cast<uint8_t*>(key.data()), static_cast<int32_t>(key.size()));
    if (size > key.size()) {
        key.resize(size);
        size = ucol_getSortKey(collator.get(), chars, static_cast<int32_t>(text.size()),
                               reinterpret_cast<uint8_t*>(key.data()), static_cast<int32_t>(key.size()));
    }
    key.resize(size > 0 ? size - 1 : 0);  // without the terminating zero byte
    return key;
}

}  // namespace tessera::host
