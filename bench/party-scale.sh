#!/usr/bin/env bash
# party.daily at national scale: importing 1,000,000 members in 50,000 party organisations from
# CSV over HTTP, side by side with the sqlite3 shell's `.import` of the same member CSV into a
# plain table (and into party_members with its indexes); then the subtree member list (first
# page) and counts (the plugin's by category and by age, the engine's by category) at the top
# organisation, a middle one and a branch, medians of N requests, the branch's alternating
# with the same branch queries on a smaller tree (a branch must not get slower as the tree
# grows), and the top's once more each right after a write (counts read anew); the host's
# memory with the data open.
#
#   bench/party-scale.sh [--build DIR] [--orgs N] [--members N] [--small-orgs N]
#                        [--small-members N] [--runs N] [--threads T] [--perf [--perf-data FILE]]
#
# Defaults: build-bench (or $TESSERA_BENCH_BUILD), 50000 organisations / 1000000 members, a
# small tree of 5000 / 100000, 9 requests per query (after one warm-up), 2 server threads.
# The CSV files come from bench/party-csv.py (same seed, same files). --perf also records the
# host with `perf record -g` during the big member import and prints its top symbols;
# --perf-data keeps the recording in FILE (for `perf report -i FILE -G`).
# Takes about 3 minutes at the default size on 2 cores (after the build); a quick check:
# --orgs 500 --members 10000.
source "$(dirname "$0")/lib.sh"

build_arg="" orgs=50000 members=1000000 small_orgs=5000 small_members=100000 runs=9 threads=2 perf=0 perf_data=""
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
    --perf-data) perf=1 perf_data=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "party-scale: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ "$small_orgs" -gt "$orgs" ] || [ "$small_members" -gt "$members" ]; then
  small_orgs=$(( orgs / 10 > 5 ? orgs / 10 : 5 )) small_members=$(( members / 10 > 1 ? members / 10 : 1 ))
  echo "party-scale: the small tree is a tenth of the big one: $small_orgs organisations, $small_members members"
fi

# What this benchmark needs (not nginx or wrk): like bench_require, only what is missing.
require() {
  local tools=(curl:curl sqlite3:sqlite3 python3:python3)
  [ "$perf" = 0 ] || tools+=(perf:linux-perf)
  bench_install "${tools[@]}"
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

# The sqlite3 shell's .import of CSV $1 into a plain table (no indexes, every column TEXT) of
# a new database file; prints the seconds it took.
sqlite_import() {
  local db="$work/sqlite-ref.db" t0
  rm -f "$db"
  t0=$EPOCHREALTIME
  sqlite3 "$db" ".import --csv $1 members"
  secs "$t0"
  rm -f "$db"
}

# The same into party_members as the plugin declares it ($2: its schema, with its indexes),
# with the host's settings for a bulk transaction (WAL, synchronous=NORMAL, a 256 MiB page
# cache: see SqliteStore, kBulkCacheKiB): .import into a staging table, then one INSERT ...
# SELECT mapping the columns roughly as the importer does (the name as its own sort key, the
# unit id from the code). The floor for an import that keeps these indexes; prints the
# seconds it took and the rows it inserted.
sqlite_import_indexed() {
  local db="$work/sqlite-ref.db" t0
  rm -f "$db" "$db-wal" "$db-shm"
  t0=$EPOCHREALTIME
  sqlite3 "$db" "PRAGMA journal_mode=WAL" "PRAGMA synchronous=NORMAL" "PRAGMA cache_size=-262144" "$2" ".import --csv $1 csv" "
    INSERT INTO party_members(unit_id, name, name_sort, id_number, gender, birth_date, ethnicity, education, category,
                              join_date, full_date, mobile, created_at, updated_at)
    SELECT CAST(substr(所在党组织, 2) AS INTEGER), 姓名, CAST(姓名 AS BLOB), 公民身份号码,
           CASE 性别 WHEN '男' THEN '1' ELSE '2' END, 出生日期, 民族, 学历,
           CASE 人员类别 WHEN '正式党员' THEN 'formal' ELSE 'probationary' END, 入党日期, NULLIF(转正日期, ''), 手机,
           '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
    FROM csv" >/dev/null  # journal_mode prints the mode
  echo "$(secs "$t0") $(sqlite3 "$db" "SELECT count(*) FROM party_members")"
  rm -f "$db" "$db-wal" "$db-shm"
}

# One tree ($1: small or big) with $2 organisations and $3 members: generates the CSVs,
# imports them into a host of its own and times the sqlite3 references. The host stays up for
# the queries (pid_of, port_of, auth_of); results go to res.
declare -A res pid_of port_of auth_of
load() {
  local name=$1 n_orgs=$2 n_members=$3 dir="$work/$1" t0 k v
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
  pid_of[$name]=$tessera_pid port_of[$name]=$tessera_port auth_of[$name]=$auth
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
    # A kept recording unwinds through DWARF: the Release build and Debian's libraries keep no frame pointers.
    perf record -q -F 499 $([ -n "$perf_data" ] && echo "--call-graph dwarf,16384" || echo -g) -o "$work/perf.data" -p "$tessera_pid" 2>"$work/perf.err" &
    perf_pid=$!
    track "$perf_pid"
  fi
  import_file members "$file_id"
  [ -z "$perf_pid" ] || { kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true; }
  res[$name.import_s]=$import_s
  printf '  members:       upload %6.2f s, import %7.2f s (%s rows, %.0f rows/s)\n' "$upload_s" "$import_s" "$rows" \
    "$(awk -v n="$rows" -v s="$import_s" 'BEGIN {print n / s}')"
  local sq="" sqi="" schema indexes t n
  # The table and its indexes; not the triggers that keep its counts (core_kept_counts), which
  # the host's import into an empty table suspends and makes up for at the end: the reference
  # does less than the host.
  schema=$(sqlite3 -readonly "$dir/db/party.db" "SELECT sql || ';' FROM sqlite_master WHERE tbl_name = 'party_members' AND type IN ('table', 'index') AND sql IS NOT NULL")
  indexes=$(sqlite3 -readonly "$dir/db/party.db" "SELECT count(*) FROM pragma_index_list('party_members')")
  for _ in 1 2 3; do
    sq+="$(sqlite_import "$dir/csv/members.csv") "
    read -r t n < <(sqlite_import_indexed "$dir/csv/members.csv" "$schema")
    [ "$n" = "$n_members" ] || { echo "party-scale: sqlite3 inserted ${n:-no} rows into party_members, not $n_members" >&2; exit 1; }
    sqi+="$t "
  done
  # shellcheck disable=SC2086
  res[$name.sqlite_s]=$(median $sq) res[$name.sqlite_idx_s]=$(median $sqi)
  printf '  sqlite3 .import into a plain table:             %6.2f s (3 runs: %s)\n' "${res[$name.sqlite_s]}" "${sq% }"
  printf '  sqlite3 .import, INSERT into party_members:     %6.2f s (3 runs: %s; its %s indexes)\n' \
    "${res[$name.sqlite_idx_s]}" "${sqi% }" "$indexes"

  local case
  for case in top middle branch; do
    res[$name.$case.code]=${g[$case]}
    res[$name.$case.unit]=$(unit_of "${g[$case]}")
  done
  if [ -n "$perf_pid" ]; then
    echo
    echo "  perf: host during the member import, top symbols by own samples:"
    perf report -i "$work/perf.data" --no-children --stdio --percent-limit 1 -g none 2>/dev/null |
      grep -E '^ +[0-9.]+%' | head -30 | sed 's/^/  /'
    echo "  perf: the same samples by library:"
    perf report -i "$work/perf.data" --no-children --stdio --sort dso --percent-limit 1 -g none 2>/dev/null |
      grep -E '^ +[0-9.]+%' | sed 's/^/  /'
    if [ -n "$perf_data" ]; then mv "$work/perf.data" "$perf_data"; else rm -f "$work/perf.data"; fi
  fi
  rm -rf "$dir/csv"  # the big files, before the next tree
}

# Talk to the host of tree $1 from now on.
use() { api="http://127.0.0.1:${port_of[$1]}/api/v1" auth=${auth_of[$1]} tessera_port=${port_of[$1]}; }

# One query ($3: page, category, age, or by: the engine's own counts by category) at
# organisation $2 (top, middle, branch) of tree $1; prints its time in ms.
query() {
  local unit=${res[$1.$2.unit]}
  use "$1"
  case $3 in
    page) get_ms "/party.daily/members?unit=$unit&page=1&size=20" ;;
    by) get_ms "/party.daily/members/counts?by=category&unit=$unit" ;;
    *) get_ms "/party.daily/members/counts/$3?unit=$unit" ;;
  esac
}

echo "tessera: $build/bin/tessera serve, plugin party.daily, threads: $threads"
echo "sqlite3: $(sqlite3 --version | cut -d' ' -f1-2), .import --csv into a table without indexes"
echo "queries: $runs requests each after one warm-up, curl %{time_total}, one at a time"
load small "$small_orgs" "$small_members"
load big "$orgs" "$members"

# The queries: every round asks each one once, the big tree's and the small tree's branch
# queries alternating, so that all of them see the same background load.
cases=(big.top big.middle big.branch small.branch)
echo
echo "== queries: $runs rounds of ${#cases[@]} organisations x 4 queries, then the memory"
declare -A times
for c in "${cases[@]}"; do
  for q in page category age by; do
    query "${c%%.*}" "${c#*.}" "$q" >/dev/null  # warm-up
    [ "$q" != page ] || res[$c.total]=$(json_get 'd["total"]' <"$work/response.json")
  done
done
for _ in $(seq "$runs"); do
  for c in "${cases[@]}"; do
    for q in page category age by; do times[$c.$q]+="$(query "${c%%.*}" "${c#*.}" "$q") "; done
  done
done
# The same queries at the top of the big tree, each right after another process changed a
# member's category (formal <-> probationary, so every count by category changes): nothing is
# answered from the rows the same count read before (Database::queryAggregate), and the counts
# the host keeps (counted="true") are kept by the database's triggers, whoever writes.
touch_db() {
  sqlite3 "$work/big/db/party.db" ".timeout 10000" \
    "UPDATE party_members SET category = CASE category WHEN 'formal' THEN 'probationary' ELSE 'formal' END WHERE id = (SELECT min(id) FROM party_members);"
}
for _ in $(seq "$runs"); do
  for q in page category age by; do
    touch_db
    times[big.top.$q.cold]+="$(query big top "$q") "
  done
done
for k in "${!times[@]}"; do
  # shellcheck disable=SC2086
  res[$k]=$(median ${times[$k]})
done

# Memory: of each host now, and of a new process on the same database after one round.
for name in small big; do
  read -r res[$name.rss] res[$name.hwm] < <(rss_kib "${pid_of[$name]}")
done
for name in small big; do stop "${pid_of[$name]}"; done
for name in small big; do
  start_tessera "$work/$name/deployment.xml" "$work/$name/tessera.out"
  port_of[$name]=$tessera_port
  for c in top middle branch; do
    for q in page category age by; do query "$name" "$c" "$q" >/dev/null; done
  done
  read -r res[$name.rss2] res[$name.hwm2] < <(rss_kib "$tessera_pid")
  stop "$tessera_pid"
  res[$name.db]=$(find "$work/$name/db" -maxdepth 1 -name 'party.db*' -type f -printf '%s\n' | awk '{s += $1} END {print s / 1024}')
done

mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
echo
echo "import of members.csv     members    tessera   sqlite3 .import   tessera/sqlite3   sqlite3, indexed   tessera/indexed"
for name in small big; do
  n=$([ $name = small ] && echo "$small_members" || echo "$members")
  printf '  %-5s tree         %9s %8.2f s %15.2f s %17s %16.2f s %17s\n' "$name" "$n" "${res[$name.import_s]}" \
    "${res[$name.sqlite_s]}" "$(ratio "${res[$name.import_s]}" "${res[$name.sqlite_s]}")" \
    "${res[$name.sqlite_idx_s]}" "$(ratio "${res[$name.import_s]}" "${res[$name.sqlite_idx_s]}")"
done
echo "  (tessera: from POST .../members/import until the job was seen finished; the upload before it"
printf '   took %.2f s for the big file; the organisations took %.2f s (small) and %.2f s (big))\n' \
  "${res[big.upload_s]}" "${res[small.orgs_s]}" "${res[big.orgs_s]}"

echo
echo "median of $runs (ms), $members members     members   first page   counts/category   counts/age   counts?by=category"
for case in top middle branch; do
  case $case in
    top) label="top organisation" ;;
    middle) label="middle (3rd of 5 levels)" ;;
    branch) label="branch (a leaf)" ;;
  esac
  printf '  %-26s %9s %9s %14s %15s %17s     %s\n' "$label" "${res[big.$case.total]}" "${res[big.$case.page]}" \
    "${res[big.$case.category]}" "${res[big.$case.age]}" "${res[big.$case.by]}" "${res[big.$case.code]}, unit ${res[big.$case.unit]}"
  [ "$case" != top ] || printf '  %-26s %9s %9s %14s %15s %17s\n' "  each after a write" "" "${res[big.top.page.cold]}" \
    "${res[big.top.category.cold]}" "${res[big.top.age.cold]}" "${res[big.top.by.cold]}"
done

echo
echo "branch, median of $runs (ms)        small tree        big tree   big/small"
printf '  organisations/members   %15s %15s\n' "$small_orgs/$small_members" "$orgs/$members"
printf '  members in the branch   %15s %15s\n' "${res[small.branch.total]}" "${res[big.branch.total]}"
for q in page category age by; do
  case $q in page) label="first page" ;; category) label="counts/category" ;; age) label="counts/age" ;; by) label="counts?by=category" ;; esac
  printf '  %-22s %16s %15s   %9s\n' "$label" "${res[small.branch.$q]}" "${res[big.branch.$q]}" \
    "$(ratio "${res[big.branch.$q]}" "${res[small.branch.$q]}")"
done

echo
echo "host memory (MiB)                                 VmRSS     VmHWM   database file"
for name in small big; do
  printf '  %-5s tree, after the import and the queries %9s %9s   %9s\n' "$name" "$(mib "${res[$name.rss]}")" "$(mib "${res[$name.hwm]}")" "$(mib "${res[$name.db]}")"
  printf '  %-5s tree, restarted, after one round       %9s %9s\n' "$name" "$(mib "${res[$name.rss2]}")" "$(mib "${res[$name.hwm2]}")"
done
echo
echo "whole script: $(secs "$t_script") s (after the build)"
