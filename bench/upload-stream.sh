#!/usr/bin/env bash
# Streaming a big video through the host (issue 14's benchmark): `POST /api/v1/files` of a
# 1 GiB file with curl (streamed from disk), attaching it to a record (the move into the
# content-addressed store, which types and hashes it), both together, each against `cp` of the
# same file on the same disk, alternating, median of --runs; the host's resident memory before
# and at its peak during each phase; a ranged GET in the middle of the file (time to first
# byte) and a full GET's throughput against `cat` of the stored file.
#
#   bench/upload-stream.sh [--build DIR] [--runs N] [--size MIB] [--threads T] [--dir DIR]
#
# Defaults: build-bench (or $TESSERA_BENCH_BUILD), 3 runs, 1024 MiB, 2 server threads, files
# in a temporary folder under $TMPDIR (or /tmp). --dir puts the source, the copy and the
# deployment (its uploads and file store) on another disk; all of them on the same one.
# Needs the fixture plugin fx.attachments (a build with tests, or it is built here).
source "$(dirname "$0")/lib.sh"

build_arg="" runs=3 size_mib=1024 threads=2 dir_arg=""
while [ $# -gt 0 ]; do
  case $1 in
    --build) build_arg=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --size) size_mib=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --dir) dir_arg=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "upload-stream: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
bench_install curl:curl
bench_build "$build_arg"

# Everything on one disk: the source, cp's copy, the database with its uploads and file store.
if [ -n "$dir_arg" ]; then
  mkdir -p "$dir_arg"
  data=$(mktemp -d "$(cd "$dir_arg" && pwd)/tessera-upload.XXXXXX")
  trap 'bench_cleanup; rm -rf "$data"' EXIT
else
  data=$work
fi
size=$((size_mib * 1024 * 1024))
need_kib=$((3 * size / 1024 + 262144))  # source, the copy or the upload, the stored file; 256 MiB spare
free_kib=$(df -Pk "$data" | awk 'NR == 2 {print $4}')
if [ "$free_kib" -lt "$need_kib" ]; then
  echo "upload-stream: $data has $((free_kib / 1024)) MiB free, needs $((need_kib / 1024)) MiB" >&2
  exit 1
fi

# The fixture plugin with a card whose "recordings" field takes video; its manifest's 2MB
# limit is raised for this copy only.
fixture=$build/fixture-plugins/attachments
if [ ! -f "$fixture/libfx.attachments.so" ]; then
  if ! ninja -C "$build" -t targets all 2>/dev/null | grep -q '^fixture_attachments:'; then
    echo "bench: configuring $build with tests (for the fixture plugin fx.attachments)"
    cmake "$build" -DTESSERA_BUILD_TESTS=ON >/dev/null
  fi
  echo "bench: building the fixture plugin fx.attachments in $build"
  cmake --build "$build" --target fixture_attachments >/dev/null
fi
mkdir -p "$work/plugins/fx.attachments"
cp "$fixture/libfx.attachments.so" "$work/plugins/fx.attachments/"
sed 's/name="recordings" kind="attachments" accept="video audio" max-size="[^"]*"/name="recordings" kind="attachments" accept="video audio" max-size="64GB"/' \
  "$fixture/manifest.xml" >"$work/plugins/fx.attachments/manifest.xml"
grep -q 'max-size="64GB"' "$work/plugins/fx.attachments/manifest.xml" ||
  { echo "upload-stream: the fixture's recordings field changed; adapt the sed above" >&2; exit 1; }

mkdir -p "$data/db"
cat >"$work/deployment.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<deployment name="bench">
  <database path="$data/db/bench.db"/>
  <listen address="127.0.0.1" port="0"/>
  <limits threads="$threads" max-upload-bytes="$((size + 1048576))"/>
  <plugin-dir path="$work/plugins"/>
  <plugins>
    <plugin id="fx.attachments"/>
  </plugins>
</deployment>
EOF
echo "bench-password" | "$build/bin/tessera" user add bench --unit 1 --admin --password-stdin --config "$work/deployment.xml" >/dev/null
token=$("$build/bin/tessera" user token bench --label benchmark --config "$work/deployment.xml")
auth="Authorization: Bearer $token"
start_tessera "$work/deployment.xml" "$work/tessera.out"
api="http://127.0.0.1:$tessera_port/api/v1"
created=$(curl -sS -H "$auth" -H 'Content-Type: application/json' -d '{"topic":"bench","unitId":1}' "$api/fx.attachments/meetings")
json_id() { sed -n 's/.*[{,]"id":\([0-9]*\)[,}].*/\1/p'; }
meeting=$(json_id <<<"$created")
[ -n "$meeting" ] || { echo "upload-stream: could not create the meeting record: $created" >&2; exit 1; }
field_url="$api/fx.attachments/meetings/$meeting/attachments/recordings"

# The video: an MP4 header (an ftyp box, as a camera writes it) and random bytes, which
# neither compress nor deduplicate.
src=$data/video.mp4
echo "making $src: $size_mib MiB (an MP4 ftyp box, then random bytes)"
{ printf '\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41'
  head -c $((size - 32)) /dev/urandom; } >"$src"
sha=$(sha256sum "$src" | cut -d' ' -f1)
sync

# Resident memory of the host, in KiB, read with builtins only (no process started while it
# is polled): sets rss and hwm.
read_mem() {
  local k v
  while IFS=: read -r k v; do
    case $k in VmRSS) rss=${v//[!0-9]/} ;; VmHWM) hwm=${v//[!0-9]/} ;; esac
  done <"/proc/$tessera_pid/status"
}
# Resets the host's VmHWM to its VmRSS (Linux >= 4.0) and sets mem0 to that.
reset_peak() {
  echo 5 >"/proc/$tessera_pid/clear_refs" 2>/dev/null || echo "  WARNING: cannot reset VmHWM (clear_refs); peaks include earlier ones" >&2
  read_mem
  mem0=$rss
}
# Runs "$@" (a curl) in the background and polls the host's VmRSS every 10 ms until it ends;
# sets out (curl's output), peak (the highest VmHWM/VmRSS seen, KiB).
watch_mem() {
  "$@" >"$work/curl.out" &
  local cpid=$!
  peak=$mem0
  while kill -0 "$cpid" 2>/dev/null; do
    read_mem
    [ "$rss" -le "$peak" ] || peak=$rss
    nap 0.01
  done
  wait "$cpid" || { echo "upload-stream: curl failed: $*" >&2; cat "$work/curl.out" >&2; exit 1; }
  read_mem
  [ "$hwm" -le "$peak" ] || peak=$hwm
  out=$(cat "$work/curl.out")
}
# Page cache equal for both sides: nothing dirty left from the side before (sync), and the
# source read once so that both read it from memory.
level() { sync; cat "$src" >/dev/null; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", b - a}'; }
mbps() { awk -v s="$1" -v t="$2" 'BEGIN {printf "%.0f", (t > 0 ? s / t / 1e6 : 0)}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }

echo "tessera: $build/bin/tessera serve, fx.attachments (recordings: video, audio), threads: $threads"
echo "disk: $(df -P "$data" | awk 'NR == 2 {print $1 " on " $6}'), $data"
echo "$runs runs, alternating cp and tessera; before each side: sync, then the source read once (cached for both)"
declare -A t
declare -a up_growth at_growth up_peak_mib
first_mem0=""
for i in $(seq "$runs"); do
  # The reference: cp of the same file on the same disk; then the same copy made durable
  # (the host fsyncs the upload before answering, cp does not).
  level
  t0=$EPOCHREALTIME
  cp "$src" "$data/copy.mp4"
  t1=$EPOCHREALTIME
  sync "$data/copy.mp4"
  t2=$EPOCHREALTIME
  cp_s=$(secs "$t0" "$t1") cpsync_s=$(secs "$t0" "$t2")
  rm -f "$data/copy.mp4"
  # The floor for attaching: SHA-256 of every byte, by OpenSSL's command (source cached).
  hash_s=0
  if command -v openssl >/dev/null; then
    cat "$src" >/dev/null
    t0=$EPOCHREALTIME; openssl dgst -sha256 "$src" >/dev/null; t1=$EPOCHREALTIME
    hash_s=$(secs "$t0" "$t1")
  fi

  # The upload, streamed from disk by curl (-T reads the file as it sends it).
  level
  reset_peak
  watch_mem curl -sS -X POST -T "$src" -H "$auth" -H 'Content-Type: video/mp4' -o "$work/upload.json" \
    -w '%{http_code} %{time_total}' "$api/files?name=video.mp4"
  read -r code up_s <<<"$out"
  [ "$code" = 201 ] || { echo "upload-stream: the upload answered $code:" >&2; cat "$work/upload.json" >&2; exit 1; }
  upload=$(sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p' "$work/upload.json")
  up_growth+=("$((peak - mem0))") up_peak_mib+=("$(mib "$peak")")
  up_mem0=$mem0

  # Attaching it: sniffed, hashed (SHA-256 of every byte) and renamed into the store.
  reset_peak
  watch_mem curl -sS -H "$auth" -H 'Content-Type: application/json' -d "{\"upload\":\"$upload\"}" -o "$work/attach.json" \
    -w '%{http_code} %{time_total}' "$field_url"
  read -r code at_s <<<"$out"
  [ "$code" = 201 ] || { echo "upload-stream: attaching answered $code:" >&2; cat "$work/attach.json" >&2; exit 1; }
  at_growth+=("$((peak - mem0))")
  file_url="$api${field_url#"$api"}/$(json_id <"$work/attach.json")"
  stored=$data/db/bench.db.files/${sha:0:2}/${sha:2:2}/$sha
  [ -f "$stored" ] || { echo "upload-stream: $stored is not in the store (the content's hash differs?)" >&2; exit 1; }
  tot_s=$(awk -v a="$up_s" -v b="$at_s" 'BEGIN {printf "%.3f", a + b}')

  # Reading it back: the whole file against cat of the stored file (cached for both), and
  # 1 MiB from the middle (a player seeking).
  cat "$stored" >/dev/null
  t0=$EPOCHREALTIME; cat "$stored" >/dev/null; t1=$EPOCHREALTIME
  cat_s=$(secs "$t0" "$t1")
  read -r code get_s < <(curl -sS -H "$auth" -D "$work/get.headers" -o /dev/null -w '%{http_code} %{time_total}\n' "$file_url")
  [ "$code" = 200 ] || { echo "upload-stream: the full GET answered $code" >&2; exit 1; }
  grep -qi "^etag: \"$sha\"" "$work/get.headers" || { echo "upload-stream: the ETag is not the source's SHA-256 $sha" >&2; exit 1; }
  mid=$((size / 2)) len=1048576
  read -r code ttfb range_s < <(curl -sS -H "$auth" -H "Range: bytes=$mid-$((mid + len - 1))" -o "$work/range.bin" \
    -w '%{http_code} %{time_starttransfer} %{time_total}\n' "$file_url")
  [ "$code" = 206 ] || { echo "upload-stream: the ranged GET answered $code" >&2; exit 1; }
  if [ "$i" = 1 ]; then
    cmp -s "$work/range.bin" <(tail -c +$((mid + 1)) "$src" | head -c "$len") ||
      { echo "upload-stream: the ranged GET's bytes differ from the source's" >&2; exit 1; }
  fi
  read -r hcode health_ttfb < <(curl -sS -o /dev/null -w '%{http_code} %{time_starttransfer}\n' "$api/health")

  # Gone again, so that every run stores a new file (the store would keep one content once).
  code=$(curl -sS -X DELETE -H "$auth" -o /dev/null -w '%{http_code}' "$file_url")
  [ "$code" = 204 ] || { echo "upload-stream: DELETE answered $code" >&2; exit 1; }
  [ ! -e "$stored" ] || { echo "upload-stream: the store kept $stored after its only record let it go" >&2; exit 1; }

  for k in cp cpsync hash up at tot cat get range; do v=${k}_s; t[$k]+="${!v} "; done
  t[ttfb]+="$ttfb " t[health_ttfb]+="$health_ttfb "
  [ -n "$first_mem0" ] || first_mem0=$up_mem0
  printf '  run %d/%d  cp %6.2f s (+sync %6.2f, sha256 %5.2f)  upload %6.2f s  attach %6.2f s  total %6.2f s   RSS %s MiB +%s (upload) +%s (attach) MiB\n' \
    "$i" "$runs" "$cp_s" "$cpsync_s" "$hash_s" "$up_s" "$at_s" "$tot_s" "$(mib "$up_mem0")" "$(mib "${up_growth[-1]}")" "$(mib "${at_growth[-1]}")"
  printf '            GET %6.2f s (cat %5.2f s)  range 1 MiB at %d MiB: first byte %6.2f ms, all %6.2f ms (health: %5.2f ms)\n' \
    "$get_s" "$cat_s" "$((mid / 1048576))" "$(awk -v s="$ttfb" 'BEGIN {print s * 1000}')" \
    "$(awk -v s="$range_s" 'BEGIN {print s * 1000}')" "$(awk -v s="$health_ttfb" 'BEGIN {print s * 1000}')"
done

# shellcheck disable=SC2086  # the lists are space-separated on purpose
for k in "${!t[@]}"; do declare "m_$k=$(median ${t[$k]})"; done
m_up_growth=$(median "${up_growth[@]}") m_at_growth=$(median "${at_growth[@]}")
echo
echo "median of $runs runs, $size_mib MiB    seconds      MB/s   cp/tessera (speed ratio: >= 0.50 is the target)   cp+sync/tessera"
row() { printf '  %-22s %9.2f %9s   %6s                                           %6s\n' "$1" "$2" "$(mbps "$size" "$2")" "$(ratio "$m_cp" "$2")" "$(ratio "$m_cpsync" "$2")"; }
row "upload (POST files)" "$m_up"
row "attach (type, hash)" "$m_at"
row "upload + attach" "$m_tot"
printf '  %-22s %9.2f %9s   %6s\n' "cp (reference)" "$m_cp" "$(mbps "$size" "$m_cp")" 1.00
printf '  %-22s %9.2f %9s   %6s\n' "cp + sync (reference)" "$m_cpsync" "$(mbps "$size" "$m_cpsync")" "$(ratio "$m_cp" "$m_cpsync")"
[ "$m_hash" = 0 ] || printf '  %-22s %9.2f %9s   %6s    (the floor for hashing: attach/openssl %s)\n' "openssl dgst -sha256" "$m_hash" "$(mbps "$size" "$m_hash")" "$(ratio "$m_cp" "$m_hash")" "$(ratio "$m_at" "$m_hash")"
echo
printf '  %-22s %9.2f %9s   cat/GET %s\n' "full GET" "$m_get" "$(mbps "$size" "$m_get")" "$(ratio "$m_cat" "$m_get")"
printf '  %-22s %9.2f %9s\n' "cat (reference)" "$m_cat" "$(mbps "$size" "$m_cat")"
printf '  ranged GET, 1 MiB at the middle: first byte %.2f ms, whole %.2f ms (GET /health: first byte %.2f ms)\n' \
  "$(awk -v s="$m_ttfb" 'BEGIN {print s * 1000}')" "$(awk -v s="$m_range" 'BEGIN {print s * 1000}')" "$(awk -v s="$m_health_ttfb" 'BEGIN {print s * 1000}')"
echo
printf '  host memory: VmRSS %s MiB before the first upload; growth to the peak (VmHWM, reset before each phase):\n' "$(mib "$first_mem0")"
printf '    upload %s MiB, attach %s MiB (median; target: < 32 MiB); peaks during the uploads: %s MiB\n' \
  "$(mib "$m_up_growth")" "$(mib "$m_at_growth")" "${up_peak_mib[*]}"
