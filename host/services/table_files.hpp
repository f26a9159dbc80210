#pragma once
// The host's TableFiles: CSV written with QFile, .xlsx with libxlsxwriter (constant-memory
// mode, so an export of a million rows does not hold them in memory); CSV read in chunks of
// whole records through the host's CSV parser, .xlsx read with libzip and pugixml.

#include <tessera/table_files.hpp>

namespace tessera::host {

class HostTableFiles final : public tessera::TableFiles {
public:
    Result<std::unique_ptr<tessera::TableWriter>> create(const QString& path, tessera::TableFormat format,
                                                         const QString& sheet) override;
    Result<std::unique_ptr<tessera::TableReader>> open(const QString& path, tessera::TableFormat format,
                                                       const tessera::HeaderTest& isHeader = {}) override;
};

}  // namespace tessera::host
