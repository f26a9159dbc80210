# Writes OUT, a C++ source defining tessera::host::coreMigrations() with the SQL files given
# in FILES (;-list) compiled in. Run at build time by host/CMakeLists.txt.
set(body "")
foreach(f IN LISTS FILES)
  get_filename_component(name "${f}" NAME)
  string(SUBSTRING "${name}" 0 4 digits)
  math(EXPR number "1${digits} - 10000")
  file(READ "${f}" sql)
  string(APPEND body "        {${number}, \"${name}\", R\"tessera_sql(${sql})tessera_sql\"},\n")
endforeach()
file(WRITE "${OUT}.tmp" "// Generated from host/migrations/*.sql by embed.cmake: do not edit.
#include \"store/migrations.hpp\"

#include <QCryptographicHash>

namespace tessera::host {

std::vector<MigrationFile> coreMigrations() {
    struct Embedded {
        int number;
        const char* name;
        const char* sql;
    };
    static const Embedded files[] = {
${body}    };
    std::vector<MigrationFile> out;
    for (const auto& f : files) {
        const QByteArray sql(f.sql);
        out.push_back({f.number, QString::fromLatin1(f.name), QStringLiteral(\"core:\") + QString::fromLatin1(f.name),
                       QCryptographicHash::hash(sql, QCryptographicHash::Sha256).toHex(), sql});
    }
    return out;
}

}  // namespace tessera::host
")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
