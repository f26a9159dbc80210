# Writes OUT, a C++ source defining tessera::host::coreMigrations() with the SQL files given
# in FILES (;-list) compiled in. Run at build time by host/CMakeLists.txt.
set(body "")
set(taken "")
foreach(f IN LISTS FILES)
  get_filename_component(name "${f}" NAME)
  if(NOT name MATCHES "^[0-9][0-9][0-9][0-9]_[a-z0-9_]+\\.sql$")
    message(FATAL_ERROR "${f}: migration file names are NNNN_lower_case_words.sql")
  endif()
  string(SUBSTRING "${name}" 0 4 digits)
  math(EXPR number "1${digits} - 10000")
  # Two files of one number would meet only at start-up, as a UNIQUE constraint of core_migrations.
  list(FIND taken "${digits}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "${f}: number ${digits} is also used by another file in host/migrations")
  endif()
  list(APPEND taken "${digits}")
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
