#!/usr/bin/env bash
# A third party's module on the record engine, as they would build and test it: install
# Tessera into a temporary prefix, build examples/followup-visit against it with
# find_package(Tessera CONFIG), and run its own tests, which start the installed host through
# the SDK's test kit (Tessera::testing). The module must stay under 100 lines all told.
# Usage: out_of_tree_record_module.sh <source dir> <build dir>
set -euo pipefail
src=$1
build=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/tessera-oot-records.XXXXXX")
trap 'rm -rf "$work"' EXIT

example="$src/examples/followup-visit"
lines=$(cat "$example/manifest.xml" "$example/CMakeLists.txt" "$example"/src/*.cpp | wc -l)
echo "examples/followup-visit: $lines lines (manifest, CMakeLists.txt, C++)"
test "$lines" -lt 100 || { echo "the example module has $lines lines; it must stay under 100"; exit 1; }

cmake --install "$build" --prefix "$work/prefix" >/dev/null
test -f "$work/prefix/include/tessera/testing.hpp"
test -f "$work/prefix/lib/tessera/plugins/biz.customers/manifest.xml"

cmake -S "$example" -B "$work/visits" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/visits" >/dev/null
test -f "$work/visits/plugins/crm.visits/libcrm.visits.so"
# Its tests run the installed host, not the one in the build tree.
env -u TESSERA_TESTING_HOST ctest --test-dir "$work/visits" --output-on-failure --timeout 120
echo "examples/followup-visit built against the installed SDK; its tests passed against the installed host"
