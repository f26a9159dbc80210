#!/usr/bin/env bash
# Plugins see only the SDK: tessera_add_plugin() refuses, at configure time, a plugin source
# that includes SQLite, Beast/Asio or a host header. Usage: plugin_boundary.sh <source dir>
set -euo pipefail
src=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/tessera-boundary.XXXXXX")
trap 'rm -rf "$work"' EXIT

try() {  # include line, expected outcome (refused|accepted)
  rm -rf "$work/p" "$work/b"
  mkdir -p "$work/p/src"
  printf '%s\nint answer() { return 42; }\n' "$1" > "$work/p/src/plugin.cpp"
  cp "$src/examples/hello-plugin/manifest.xml" "$work/p/manifest.xml"
  cat > "$work/p/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(Boundary LANGUAGES CXX)
add_library(Tessera::sdk INTERFACE IMPORTED)
include("$src/cmake/TesseraPlugin.cmake")
tessera_add_plugin(hello.world SOURCES src/plugin.cpp)
CMAKE
  if cmake -S "$work/p" -B "$work/b" >"$work/log" 2>&1; then outcome=accepted; else outcome=refused; fi
  if [ "$outcome" != "$2" ]; then
    echo "'$1' was $outcome, expected $2"; cat "$work/log"; exit 1
  fi
  if [ "$2" = refused ] && ! grep -q "includes a header plugins may not use" "$work/log"; then
    echo "'$1' refused without the explanation"; cat "$work/log"; exit 1
  fi
}
try '#include <sqlite3.h>' refused
try '#include <boost/beast/http.hpp>' refused
try '#include <boost/asio/io_context.hpp>' refused
try '#include "store/sqlite_store.hpp"' refused
try '#include "runtime/runtime.hpp"' refused
try '#include <tessera/tessera.hpp>' accepted
echo "plugin boundary enforced"
