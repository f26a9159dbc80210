#!/usr/bin/env bash
# The Debian packages: one for the host, one for the SDK, one per built plugin, each holding
# what it should. Usage: packaging.sh <build dir>
set -euo pipefail
build=$1
out=$(mktemp -d "${TMPDIR:-/tmp}/tessera-pkg.XXXXXX")
trap 'rm -rf "$out"' EXIT
(cd "$build" && cpack -G DEB -B "$out" >/dev/null)
check() {  # package, file it must contain
  local deb
  deb=$(ls "$out"/"$1"_*.deb)
  dpkg-deb -c "$deb" > "$out/contents"
  grep -qF "$2" "$out/contents" || { echo "$1 lacks $2"; cat "$out/contents"; exit 1; }
}
check tessera-host ./usr/bin/tessera
check tessera-host "./usr/lib/systemd/system/tessera@.service"
check tessera-sdk ./usr/include/tessera/module.hpp
check tessera-sdk TesseraConfig.cmake
check tessera-sdk TesseraPlugin.cmake
for manifest in "$build"/lib/tessera/plugins/*/manifest.xml; do
  id=$(basename "$(dirname "$manifest")")
  check "tessera-plugin-$id" "./usr/lib/tessera/plugins/$id/lib$id.so"
  check "tessera-plugin-$id" "./usr/lib/tessera/plugins/$id/manifest.xml"
  [[ "$(dpkg-deb -f "$(ls "$out"/tessera-plugin-"$id"_*.deb)" Depends)" == *tessera-host* ]]
done
# The host must not carry a plugin, nor the SDK a binary.
dpkg-deb -c "$(ls "$out"/tessera-host_*.deb)" > "$out/contents"
if grep -qF "lib/tessera/plugins/" "$out/contents"; then echo "host package carries plugins"; exit 1; fi
echo "packages: $(cd "$out" && ls *.deb | tr '\n' ' ')"
