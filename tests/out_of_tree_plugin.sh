#!/usr/bin/env bash
# The SDK as a third party gets it: install Tessera into a temporary prefix, build
# examples/hello-plugin against it with find_package(Tessera CONFIG), then let the installed
# host load the plugin and answer a request through it.
# Usage: out_of_tree_plugin.sh <source dir> <build dir>
set -euo pipefail
src=$1
build=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/tessera-oot.XXXXXX")
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
pid=

# docs/plugin-guide.md quotes the example's files: they must not drift apart.
for f in CMakeLists.txt manifest.xml src/hello.cpp migrations/0001_create_greetings.sql; do
  awk -v tag="<!-- example:$f -->" '$0 == tag {grab=1; next} grab && /^```/ {if (open) exit; open=1; next} grab && open {print}' \
      "$src/docs/plugin-guide.md" > "$work/quoted"
  diff -u "$src/examples/hello-plugin/$f" "$work/quoted" || { echo "docs/plugin-guide.md quotes an outdated $f"; exit 1; }
done

cmake --install "$build" --prefix "$work/prefix" >/dev/null
test -f "$work/prefix/include/tessera/module.hpp"
test -f "$work/prefix/lib/cmake/Tessera/TesseraConfig.cmake" || test -n "$(find "$work/prefix" -name TesseraConfig.cmake)"

cmake -S "$src/examples/hello-plugin" -B "$work/hello" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/hello" >/dev/null
test -f "$work/hello/plugins/hello.world/libhello.world.so"

cat > "$work/deployment.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<deployment name="out-of-tree">
  <database path="hello.db"/>
  <listen address="127.0.0.1" port="0"/>
  <plugin-dir path="$work/hello/plugins"/>
  <plugins>
    <plugin id="hello.world"><setting name="greeting" value="Hello"/></plugin>
  </plugins>
</deployment>
XML
"$work/prefix/bin/tessera" config check "$work/deployment.xml"
echo "a-long-password" | "$work/prefix/bin/tessera" user add admin --admin --password-stdin --config "$work/deployment.xml"
token=$("$work/prefix/bin/tessera" user token admin --label out-of-tree --config "$work/deployment.xml")
"$work/prefix/bin/tessera" serve --config "$work/deployment.xml" --port 0 --quiet > "$work/serve.out" &
pid=$!
for _ in $(seq 1 100); do
  grep -q "listening on" "$work/serve.out" 2>/dev/null && break
  sleep 0.1
done
url=$(sed -n 's/^listening on \(http[^ ]*\)$/\1/p' "$work/serve.out")
test -n "$url" || { echo "host did not start"; cat "$work/serve.out"; exit 1; }
reply=$(curl -fsS -H "Authorization: Bearer $token" "${url}api/v1/hello.world/greet/Tessera")
echo "$reply"
echo "$reply" | grep -q '"message":"Hello, Tessera!"'
echo "$reply" | grep -q '"times":1'
curl -fsS -H "Authorization: Bearer $token" "${url}api/v1/plugins" | grep -q '"state":"started"'
# Without a token the plugin's route is closed.
test "$(curl -s -o /dev/null -w '%{http_code}' "${url}api/v1/hello.world/greet/Tessera")" = 401
kill -TERM $pid
wait $pid
echo "out-of-tree plugin built against the installed SDK and served by the installed host"
