# Writes OUT, a C++ source defining tessera::host::hostCatalogueZhCN() with the host's zh-CN
# message catalogue (IN) compiled in. Run at build time by host/CMakeLists.txt.
file(READ "${IN}" text)
file(WRITE "${OUT}.tmp" "// Generated from host/messages/zh-CN.tsv by embed.cmake: do not edit.
#include \"runtime/messages.hpp\"

namespace tessera::host {

QByteArray hostCatalogueZhCN() { return QByteArray(R\"tessera_tsv(${text})tessera_tsv\"); }

}  // namespace tessera::host
")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
