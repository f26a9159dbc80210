#!/usr/bin/env bash
# party.daily at national scale: importing 1,000,000 members in 50,000 party organisations from
# CSV over HTTP, side by side with the sqlite3 shell's `.import` of the same member CSV into a
# plain table; then, on that data, the subtree member list (first page) and the subtree counts
# (by category, by age) at the top organisation, a middle one and a branch, medians of N
# requests each; the same branch queries on a smaller tree, to see that a branch does not get
# slower as the tree grows; and the host's memory with the big database open.
#
#   bench/party-scale.sh [--build DIR] [--orgs N] [--members N] [--small-orgs N]
#                        [--small-members N] [--runs N] [--threads T] [--perf]
#
# Defaults: build-bench (or $TESSERA_BENCH_BUILD), 50000 organisations / 1000000 members, a
# small tree of 5000 / 100000, 9 requests per query (after one warm-up), 2 server threads.
# The CSV files come from bench/party-csv.py (same seed, same files). --perf also records the
# host with `perf record -g` during the big member import and prints its top symbols.
# Takes about 10 minutes at the default size on 2 cores; try --orgs 500 --members 10000 first.
source "$(dirname "$0")/lib.sh"

build_arg="" orgs=50000 members=1000000 small_orgs=5000 small_members=100000 runs=9 threads=2 perf=0
while [ $# -gt 0 ]; do
  case $1 in
    --build) build_arg=$2; shift 2 ;;
    --orgs) orgs=$2; shift 2 ;;
    --members) members=$2; shift 2 ;;
    --small-orgs) small_orgs=$2; shift 2 ;;
    --small-members) small_members=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --perf) perf=1; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "party-scale: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ "$small_orgs" -gt "$orgs" ] || [ "$small_members" -gt "$members" ]; then
  small_orgs=$(( orgs / 10 > 5 ? orgs / 10 : 5 )) small_members=$(( members / 10 > 1 ? members / 10 : 1 ))
  echo "party-scale: the small tree is a tenth of the big one: $small_orgs organisations, $small_members members"
fi

# What this benchmark needs (not nginx or wrk): like bench_require, only what is missing.
require() {
  local missing=() p
  command -v curl >/dev/null || missing+=(curl)
  command -v sqlite3 >/dev/null || missing+=(sqlite3)
  command -v python3 >/dev/null || missing+=(python3)
  [ "$perf" = 0 ] || command -v perf >/dev/null || missing+=(linux-perf)
  for p in cmake ninja-build; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  echo "bench: installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
require
bench_build "$build_arg"
t_script=$EPOCHREALTIME

# A value from a JSON document on stdin: json_get 'd["result"]["rows"]'.
json_get() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
ms() { awk -v s="$1" 'BEGIN {printf "%.3f", s * 1000}'; }   # seconds -> milliseconds
secs() { awk -v a="$1" -v b="${2:-$EPOCHREALTIME}" 'BEGIN {printf "%.2f", b - a}'; }

# Uploads file $1 (sets file_id and upload_s).
upload() {
  local t0=$EPOCHREALTIME body
  body=$(curl -sS -H "$auth" -H 'Content-Type: text/csv' --data-binary "@$1" "$api/files?name=$(basename "$1")")
  upload_s=$(secs "$t0")
  file_id=$(json_get 'd["id"]' <<<"$body") || { echo "party-scale: uploading $1 answered: $body" >&2; exit 1; }
}

# Imports the uploaded file $2 as $1 (orgs or members): POST, then polls the job until it ends.
# Sets import_s (from the POST until the job was seen finished, polled every 20 ms at first,
# every 0.5 s after 10 s) and rows.
import_file() {
  local what=$1 file=$2 t0 body href state committed created errors
  t0=$EPOCHREALTIME
  body=$(curl -sS -H "$auth" -H 'Content-Type: application/json' --data-binary "{\"file\":\"$file\",\"dryRun\":false}" \
    "$api/party.daily/$what/import")
  href=$(json_get 'd["href"]' <<<"$body" 2>/dev/null) || { echo "party-scale: starting the $what import answered: $body" >&2; exit 1; }
  local wait=0.02
  while :; do
    body=$(curl -sS -H "$auth" "http://127.0.0.1:$tessera_port$href")
    [[ $body =~ \"state\":\"(queued|running)\" ]] || break
    nap "$wait"
    wait=$(awk -v w="$wait" 'BEGIN {print (w < 0.25 ? w * 2 : 0.5)}')  # 20 ms at first, at most 0.5 s later
  done
  import_s=$(secs "$t0")
  # shellcheck disable=SC2016
  read -r state committed rows created errors < <(json_get '" ".join(str(x) for x in (d["state"], d.get("result", {}).get("committed"),
      d.get("result", {}).get("rows"), d.get("result", {}).get("created"), d.get("result", {}).get("errorCount")))' <<<"$body")
  if [ "$state" != succeeded ] || [ "$committed" != True ] || [ "$created" != "$rows" ]; then
    echo "party-scale: the $what import ended $state, committed $committed, $created of $rows rows created, $errors errors:" >&2
    json_get 'json.dumps({k: v for k, v in d.items() if k != "result"}, ensure_ascii=False) + "\n" +
      "\n".join(json.dumps(e, ensure_ascii=False) for e in d.get("result", {}).get("errors", [])[:10])' <<<"$body" >&2
    exit 1
  fi
}

# The unit id of the organisation with code $1.
unit_of() {
  curl -fsS -H "$auth" "$api/party.daily/orgs?q=$1" |
    json_get "next(i['id'] for i in d['items'] if i.get('code') == '$1')"
}

# One GET of $1 (a path under /api/v1); prints its time in ms. Fails unless it answers 200.
get_ms() {
  local out code t
  out=$(curl -sS -H "$auth" -o "$work/response.json" -w '%{http_code} %{time_total}' "$api$1")
  read -r code t <<<"$out"
  if [ "$code" != 200 ]; then
    echo "party-scale: GET $1 answered $code:" >&2; cat "$work/response.json" >&2; echo >&2
    exit 1
  fi
  ms "$t"
}

# Runs the sqlite3 shell's .import of CSV $1 into a plain table of a new database file; prints s.
sqlite_import() {
  local db="$work/sqlite-ref.db" t0
  rm -f "$db"
  t0=$EPOCHREALTIME
  sqlite3 "$db" ".import --csv $1 members"
  secs "$t0"
  rm -f "$db"
}

# One dataset ($1: big or small) with $2 organisations and $3 members: generates the CSVs,
# imports them into a fresh host, times the queries. Leaves its results in the arrays below.
declare -A res
dataset() {
  local name=$1 n_orgs=$2 n_members=$3 dir="$work/$1" t0 case unit query k v path
  mkdir -p "$dir"
  echo
  echo "== $name tree: $n_orgs organisations, $n_members members"
  t0=$EPOCHREALTIME
  local gen
  gen=$(python3 "$repo/bench/party-csv.py" --orgs "$n_orgs" --members "$n_members" --out "$dir/csv")
  local -A g
  while IFS='=' read -r k v; do g[$k]=$v; done <<<"$gen"
  printf '  generated the CSVs in %s s: levels %s; members.csv %s MiB\n' "$(secs "$t0")" "${g[levels]}" \
    "$(awk -v b="$(stat -c %s "$dir/csv/members.csv")" 'BEGIN {printf "%.1f", b / 1048576}')"

  deployment_config "$dir/deployment.xml" "$dir/db/party.db" 0 "$threads" party.daily
  echo "bench-password" | "$build/bin/tessera" user add bench --unit 1 --admin --password-stdin --config "$dir/deployment.xml" >/dev/null
  auth="Authorization: Bearer $("$build/bin/tessera" user token bench --label benchmark --config "$dir/deployment.xml")"
  start_tessera "$dir/deployment.xml" "$dir/tessera.out"
  api="http://127.0.0.1:$tessera_port/api/v1"
  if ! grep -q '"pluginsNotRunning":0' < <(curl -fsS "$api/health"); then
    echo "party-scale: party.daily is not running; the host said:" >&2
    cat "$dir/tessera.out.err" >&2
    exit 1
  fi

  upload "$dir/csv/orgs.csv"
  import_file orgs "$file_id"
  printf '  organisations: upload %6.2f s, import %7.2f s (%s rows)\n' "$upload_s" "$import_s" "$rows"
  res[$name.orgs_s]=$import_s
  upload "$dir/csv/members.csv"
  res[$name.upload_s]=$upload_s
  local perf_pid=""
  if [ "$perf" = 1 ] && [ "$name" = big ]; then
    perf record -q -F 499 -g -o "$work/perf.data" -p "$tessera_pid" 2>"$work/perf.err" &
    perf_pid=$!
    track "$perf_pid"
  fi
  import_file members "$file_id"
  [ -z "$perf_pid" ] || { kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true; }
  res[$name.import_s]=$import_s
  printf '  members:       upload %6.2f s, import %7.2f s (%s rows, %.0f rows/s)\n' "$upload_s" "$import_s" "$rows" \
    "$(awk -v n="$rows" -v s="$import_s" 'BEGIN {print n / s}')"
  local sq=""
  for _ in 1 2 3; do sq+="$(sqlite_import "$dir/csv/members.csv") "; done
  # shellcheck disable=SC2086
  res[$name.sqlite_s]=$(median $sq)
  printf '  sqlite3 .import of members.csv into a plain table: %s s (3 runs: %s)\n' "${res[$name.sqlite_s]}" "${sq% }"

  declare -A unit_id
  for case in top middle branch; do unit_id[$case]=$(unit_of "${g[$case]}"); done
  local -A times
  for case in top middle branch; do
    unit=${unit_id[$case]}
    for query in page category age; do
      case $query in
        page) path="/party.daily/members?unit=$unit&page=1&size=20" ;;
        *) path="/party.daily/members/counts/$query?unit=$unit" ;;
      esac
      get_ms "$path" >/dev/null  # warm-up
      [ "$query" != page ] || res[$name.$case.total]=$(json_get 'd["total"]' <"$work/response.json")
    done
  done
  # Every round asks each query once, so that all of them see the same background load.
  for _ in $(seq "$runs"); do
    for case in top middle branch; do
      unit=${unit_id[$case]}
      times[$case.page]+="$(get_ms "/party.daily/members?unit=$unit&page=1&size=20") "
      times[$case.category]+="$(get_ms "/party.daily/members/counts/category?unit=$unit") "
      times[$case.age]+="$(get_ms "/party.daily/members/counts/age?unit=$unit") "
    done
  done
  for k in "${!times[@]}"; do
    # shellcheck disable=SC2086
    res[$name.$k]=$(median ${times[$k]})
  done
  for case in top middle branch; do
    res[$name.$case.code]=${g[$case]}
    res[$name.$case.unit]=${unit_id[$case]}
  done
  read -r rss hwm < <(rss_kib "$tessera_pid")
  res[$name.rss]=$rss res[$name.hwm]=$hwm
  stop "$tessera_pid"
  res[$name.db]=$(find "$dir/db" -maxdepth 1 -name 'party.db*' -type f -printf '%s\n' | awk '{s += $1} END {print s / 1024}')  # without the uploads
  if [ -n "$perf_pid" ]; then
    echo
    echo "  perf: host during the member import, top symbols by own samples:"
    perf report -i "$work/perf.data" --no-children --stdio --percent-limit 1 -g none 2>/dev/null |
      grep -E '^ +[0-9.]+%' | head -30 | sed 's/^/  /'
    echo "  perf: the same samples by library:"
    perf report -i "$work/perf.data" --no-children --stdio --sort dso --percent-limit 1 -g none 2>/dev/null |
      grep -E '^ +[0-9.]+%' | sed 's/^/  /'
  fi
  rm -rf "$dir/csv" "$dir/db"  # the big files, before the next dataset
}

echo "tessera: $build/bin/tessera serve, plugin party.daily, threads: $threads"
echo "sqlite3: $(sqlite3 --version | cut -d' ' -f1-2), .import --csv into a table without indexes"
echo "queries: $runs requests each after one warm-up, curl %{time_total}, one at a time"
dataset small "$small_orgs" "$small_members"
dataset big "$orgs" "$members"

mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
echo
echo "import of members.csv       members      tessera    sqlite3 .import   tessera/sqlite3"
for name in small big; do
  n=$([ $name = small ] && echo "$small_members" || echo "$members")
  printf '  %-5s tree            %9s   %8.2f s   %10.2f s        %6s\n' "$name" "$n" "${res[$name.import_s]}" "${res[$name.sqlite_s]}" \
    "$(ratio "${res[$name.import_s]}" "${res[$name.sqlite_s]}")"
done
echo "  (tessera: from POST .../members/import until the job was seen finished; the upload before it"
printf '   took %.2f s for the big file; the organisations took %.2f s (small) and %.2f s (big))\n' \
  "${res[big.upload_s]}" "${res[small.orgs_s]}" "${res[big.orgs_s]}"

echo
echo "median of $runs (ms), $members members     members   first page   counts/category   counts/age"
for case in top middle branch; do
  label=$case
  case $case in
    top) label="top organisation" ;;
    middle) label="middle (3rd of 5 levels)" ;;
    branch) label="branch (a leaf)" ;;
  esac
  printf '  %-26s %9s %9s %14s %15s     %s\n' "$label" "${res[big.$case.total]}" "${res[big.$case.page]}" \
    "${res[big.$case.category]}" "${res[big.$case.age]}" "${res[big.$case.code]}, unit ${res[big.$case.unit]}"
done

echo
echo "branch, median of $runs (ms)     small tree   big tree   big/small"
printf '  organisations, members   %10s %10s\n' "$small_orgs/$small_members" "$orgs/$members"
printf '  members in the branch    %10s %10s\n' "${res[small.branch.total]}" "${res[big.branch.total]}"
for query in page category age; do
  label=$query
  case $query in page) label="first page" ;; category) label="counts/category" ;; age) label="counts/age" ;; esac
  printf '  %-22s %12s %10s   %9s\n' "$label" "${res[small.branch.$query]}" "${res[big.branch.$query]}" \
    "$(ratio "${res[big.branch.$query]}" "${res[small.branch.$query]}")"
done

echo
echo "host memory after the queries     VmRSS (MiB)   VmHWM (MiB)   database (MiB)"
for name in small big; do
  printf '  %-5s tree                   %11s   %11s   %14s\n' "$name" "$(mib "${res[$name.rss]}")" "$(mib "${res[$name.hwm]}")" "$(mib "${res[$name.db]}")"
done
echo
echo "whole script: $(secs "$t_script") s (after the build)"
