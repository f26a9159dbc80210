#!/usr/bin/env bash
# party.dues' monthly arrears check at national scale: 1,000,000 members on the roll in ~1,000
# branches, each with a dues base and the last 12 months of payments (gaps, exemptions,
# reductions, branches that start recording in the middle of the year). The host's check, the
# scheduled job `arrears-check` as the host runs it (it writes party_dues_arrears), and the GET
# of the arrears list by an administrator of the whole tree, side by side with one hand-written
# query in the sqlite3 shell computing the same members and months; all three answers are
# checked to be the same members (count and checksums, and the whole list in the first round).
#
#   bench/dues-arrears.sh [--build DIR] [--members N] [--orgs N] [--runs N] [--threads T]
#                         [--keep DIR] [--reuse FILE]
#
# Defaults: build-bench (or $TESSERA_BENCH_BUILD), 1000000 members in 1200 organisations (a tree
# 4 levels deep: the top, 10 committees, 105 general branches, 1 084 branches), 3 rounds (each
# the sqlite3 query, then the host's job; round 1 also checks the GET and the whole lists),
# 2 server threads. The organisations and members are made by the host's own
# sample data generator (`tessera demo`, same seed, same data), the branches' start months over
# HTTP, the dues bases, payments and exemptions by the sqlite3 shell in one transaction.
# --keep DIR keeps the database there (dues.db, ~3.7 GB at the default size); --reuse FILE runs
# the rounds on a copy of such a database instead of making one (the same data: compare builds,
# or a change, without waiting for the data again; it must have been made this month). Most of
# the time goes into making the data (see bench/README.md for times measured); a quick check:
# --members 20000 --orgs 150 (--orgs at least 100).
source "$(dirname "$0")/lib.sh"

build_arg="" members=1000000 orgs=1200 runs=3 threads=2 keep="" reuse=""
while [ $# -gt 0 ]; do
  case $1 in
    --build) build_arg=$2; shift 2 ;;
    --members) members=$2; shift 2 ;;
    --orgs) orgs=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --reuse) reuse=$2; shift 2 ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "dues-arrears: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ "$orgs" -ge 100 ] || { echo "dues-arrears: --orgs must be at least 100 (every month of the data is some branch's start)" >&2; exit 2; }

bench_install curl:curl sqlite3:sqlite3 python3:python3
bench_build "$build_arg"
t_script=$EPOCHREALTIME
secs() { awk -v a="$1" -v b="${2:-$EPOCHREALTIME}" 'BEGIN {printf "%.2f", b - a}'; }

db="$work/db/dues.db"
config="$work/deployment.xml"
deployment_config "$config" "$db" 0 "$threads" party.daily party.dues
tessera=("$build/bin/tessera")

# The months, as counts of months (year * 12 + month - 1): the check runs in this month (`cur`),
# over the last whole month (`last`); the payments cover the 12 months before this one, from m0.
today=$(date +%F)
cur=$(( 10#${today:0:4} * 12 + 10#${today:5:2} - 1 ))
last=$((cur - 1)) m0=$((cur - 12))
month_text() { printf '%04d-%02d' $(($1 / 12)) $(($1 % 12 + 1)); }
period=$(month_text "$cur")

echo "tessera: $build/bin/tessera, plugins party.daily party.dues, threads: $threads"
echo "sqlite3: $(sqlite3 --version | cut -d' ' -f1-2)"
echo "check:   period $period (arrears up to $(month_text "$last"), payments $(month_text "$m0") to $(month_text "$last")), arrears-months 6"

# 1. The deployment: an administrator of the whole tree, the organisations and members by the
#    host's sample data generator (each member a unique valid ID number, name sort keys by ICU).
auth_token() { echo "Authorization: Bearer $("${tessera[@]}" user token bench --label benchmark --config "$config")"; }
if [ -n "$reuse" ]; then
  t0=$EPOCHREALTIME
  mkdir -p "$(dirname "$db")" && cp "$reuse" "$db"
  auth=$(auth_token)
  members=$(sqlite3 -readonly "$db" "SELECT count(*) FROM party_members WHERE left_date IS NULL")
  echo "  reusing $reuse: $members members (copied in $(secs "$t0") s)"
  # Migrations of this build the database has not had yet (an index on 8 million payments takes
  # longer than start_tessera waits).
  t0=$EPOCHREALTIME
  "${tessera[@]}" migrate --config "$config" | sed 's/^/  migrate: /'
  echo "  migrated in $(secs "$t0") s"
else  # making the data, steps 1 to 3, up to the fi below
t0=$EPOCHREALTIME
echo "bench-password" | "${tessera[@]}" user add bench --unit 1 --admin --password-stdin --config "$config" >/dev/null
"${tessera[@]}" demo --config "$config" --organisations "$orgs" --people "$members" --depth 4 --seed 1 | sed 's/^/  demo: /'
echo "  organisations and members (tessera demo): $(secs "$t0") s"

# 2. Each branch's start month (party_dues_starts), POSTed to the host so that the host computes
#    what it stores (start_month_sort: the ICU sort key of the month). Every month the data uses
#    (bases from four years back) is some branch's start, so the sort keys of months are all
#    the host's; ~5% of the other branches start in the middle of the year, the rest years ago.
auth=$(auth_token)
start_tessera "$config" "$work/tessera.out"
t0=$EPOCHREALTIME
lo=$((m0 - 49))
sqlite3 -readonly "$db" "SELECT unit_id FROM party_orgs WHERE org_type = 'branch' ORDER BY unit_id" |
  python3 -c '
import http.client, json, sys
port, auth, lo, cur, m0 = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6])
text = lambda m: "%04d-%02d" % (m // 12, m % 12 + 1)
c = http.client.HTTPConnection("127.0.0.1", int(port))
for k, unit in enumerate(int(line) for line in sys.stdin):
    if k <= cur - lo: start = lo + k                    # every month the data needs, once
    elif k % 20 == 0: start = m0 + 2 + (k // 20) % 8    # the middle of the year
    else: start = m0 - 120 + (k * 7) % 70               # years ago
    c.request("POST", "/api/v1/party.dues/starts", json.dumps({"unitId": unit, "startMonth": text(start)}),
              {"Authorization": auth.split(": ", 1)[1], "Content-Type": "application/json"})
    r = c.getresponse(); body = r.read()
    if r.status != 201: sys.exit("dues-arrears: POST starts answered %d: %s" % (r.status, body.decode()))
' "$tessera_port" "$auth" "$lo" "$cur" "$m0"
stop "$tessera_pid"
echo "  branch start months (HTTP): $(secs "$t0") s, $(sqlite3 -readonly "$db" "SELECT count(*) FROM party_dues_starts") branches"

# 3. The dues bases, payments and exemptions, by the sqlite3 shell in one transaction, every
#    column as the host's hooks derive it (member name and its sort key, unit, rate, monthly
#    and expected amounts in fen). The cards' secondary indexes are dropped first and made again
#    after the rows, as the host's bulk import does. Per member, from hashes of its id:
#      category: 58% employed, 2% annual salary, 3% self-employed, 19% retired, 8% farmers,
#        5% students, 2.5% unemployed, 2.5% on relief; bases in the official brackets;
#      first base: up to 4 years before the 12 months, or the month they joined if later;
#      paying: 55% month by month, 25% by the quarter in advance (the branch agreed), 20% two
#        or three months at a time afterwards; payments entered in the order they were paid;
#      4% stopped paying 6 to 11 months ago (arrears), 0.5% paid nothing in the 12 months,
#        3% stopped 1 to 5 months ago (not yet arrears), the rest paid up to the last month;
#      1.5% exempt and 0.7% reduced for 2 to 6 months of the year (exempt months are not paid,
#        reduced ones at half the amount; some fall in an unpaid stretch).
t0=$EPOCHREALTIME
tables="'party_dues_profiles', 'party_dues_payments', 'party_dues_exemptions'"
drop_sql=$(sqlite3 -readonly "$db" "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ($tables)")
make_sql=$(sqlite3 -readonly "$db" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ($tables)")
sqlite3 "$db" >/dev/null <<SQL
PRAGMA journal_mode = DELETE;
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -262144;
PRAGMA threads = 1;
BEGIN;
$drop_sql
CREATE TEMP TABLE month_key(m INTEGER PRIMARY KEY, mtext TEXT, sort BLOB);
INSERT INTO month_key SELECT CAST(substr(start_month, 1, 4) AS INTEGER) * 12 + CAST(substr(start_month, 6, 2) AS INTEGER) - 1,
  start_month, start_month_sort FROM party_dues_starts GROUP BY start_month;
CREATE TEMP TABLE plan AS
WITH h AS (
  SELECT p.id, p.unit_id, p.name, p.name_sort, (p.id * 2654435761) % 2147483647 AS u,
         CAST(substr(p.join_date, 1, 4) AS INTEGER) * 12 + CAST(substr(p.join_date, 6, 2) AS INTEGER) - 1 AS jm,
         (SELECT CAST(substr(start_month, 1, 4) AS INTEGER) * 12 + CAST(substr(start_month, 6, 2) AS INTEGER) - 1
            FROM party_dues_starts s WHERE s.unit_id = p.unit_id) AS st
  FROM party_members p WHERE p.left_date IS NULL),
r AS (SELECT *, (u * 48271) % 2147483647 AS a, (u * 69621) % 2147483647 AS b, (u * 16807) % 2147483647 AS c,
             (u * 39373) % 2147483647 AS d, (u * 950706376) % 2147483647 AS e FROM h),
c1 AS (SELECT *,
  CASE WHEN a % 1000 < 580 THEN 'employed' WHEN a % 1000 < 600 THEN 'annual-salary' WHEN a % 1000 < 630 THEN 'self-employed'
       WHEN a % 1000 < 820 THEN 'retired' WHEN a % 1000 < 900 THEN 'farmer' WHEN a % 1000 < 950 THEN 'student'
       WHEN a % 1000 < 975 THEN 'unemployed' ELSE 'relief' END AS category,
  max(jm, $m0 - 1 - u % 48) AS fb,
  CASE WHEN c % 100 < 55 THEN 1 WHEN c % 100 < 80 THEN 3 WHEN c % 2 = 0 THEN 2 ELSE 4 END AS pattern,
  CASE WHEN d % 1000 < 40 THEN $last - 6 - (d / 1000) % 6 WHEN d % 1000 < 45 THEN -1
       WHEN d % 1000 < 75 THEN $last - 1 - (d / 1000) % 5 ELSE $last END AS s,
  CASE WHEN e % 1000 < 15 THEN 'exempt' WHEN e % 1000 < 22 THEN 'reduce' END AS ekind,
  $m0 + (e / 1000) % 9 AS ea0
  FROM r),
c2 AS (SELECT *,
  CASE category WHEN 'employed' THEN (200000 + b % 1800000) / 100 * 100 WHEN 'annual-salary' THEN (1000000 + b % 3000000) / 100 * 100
       WHEN 'self-employed' THEN (150000 + b % 800000) / 100 * 100 WHEN 'retired' THEN (150000 + b % 700000) / 100 * 100 END AS base,
  CASE WHEN category = 'farmer' THEN 20 + (b % 9) * 10 END AS fixed,
  max(fb, coalesce(st, 0), $m0) AS first_due
  FROM c1),
c3 AS (SELECT *,
  CASE WHEN category = 'retired' THEN CASE WHEN base <= 500000 THEN 5 ELSE 10 END
       WHEN base IS NOT NULL THEN CASE WHEN base <= 300000 THEN 5 WHEN base <= 500000 THEN 10 WHEN base <= 1000000 THEN 15 ELSE 20 END
  END AS rate
  FROM c2)
SELECT id, unit_id, name, name_sort, category, base, fixed, rate,
  CASE WHEN base IS NOT NULL THEN (base * rate + 500) / 1000 WHEN fixed IS NOT NULL THEN fixed ELSE 20 END AS monthly,
  fb, first_due, pattern, (c / 100) % 28 + 1 AS day, d % 3 AS method,
  CASE WHEN pattern <> 3 OR s < 0 THEN s WHEN s = $last THEN $last - $last % 3 + 2 ELSE s - (s + 1) % 3 END AS s,
  CASE WHEN ekind IS NOT NULL AND max(ea0, first_due) <= min($last, ea0 + 1 + (e / 10000) % 5) THEN ekind END AS ekind,
  max(ea0, first_due) AS ea, min($last, ea0 + 1 + (e / 10000) % 5) AS eb
FROM c3;

INSERT INTO party_dues_profiles(member_id, member_name, member_name_sort, unit_id, category, base, fixed_amount, rate_percent,
                                monthly, from_month, from_month_sort, quarterly, notes, version, created_at, updated_at)
SELECT p.id, p.name, p.name_sort, p.unit_id, p.category, p.base, p.fixed, p.rate, p.monthly, k.mtext, k.sort, p.pattern = 3, '', 1,
       k.mtext || '-01T02:00:00.000Z', k.mtext || '-01T02:00:00.000Z'
FROM plan p JOIN month_key k ON k.m = p.fb ORDER BY p.fb, p.id;

INSERT INTO party_dues_exemptions(member_id, member_name, member_name_sort, unit_id, kind, from_month, from_month_sort, to_month,
                                  reduced_amount, reason, decided_on, approved_by, approved_on, version, created_at, updated_at)
SELECT p.id, p.name, p.name_sort, p.unit_id, p.ekind, k.mtext, k.sort, printf('%04d-%02d', p.eb / 12, p.eb % 12 + 1),
       CASE WHEN p.ekind = 'reduce' THEN p.monthly / 2 END, CASE WHEN p.ekind = 'reduce' THEN '收入减少' ELSE '生活困难' END,
       printf('%04d-%02d-05', (p.ea - 1) / 12, (p.ea - 1) % 12 + 1), '上级党委', printf('%04d-%02d-15', (p.ea - 1) / 12, (p.ea - 1) % 12 + 1), 1,
       printf('%04d-%02d-15T03:00:00.000Z', (p.ea - 1) / 12, (p.ea - 1) % 12 + 1), printf('%04d-%02d-15T03:00:00.000Z', (p.ea - 1) / 12, (p.ea - 1) % 12 + 1)
FROM plan p JOIN month_key k ON k.m = p.ea WHERE p.ekind IS NOT NULL ORDER BY p.ea, p.id;

-- Payments: segment k of a member covers 1 month (monthly), a calendar quarter (quarterly) or
-- 2 or 3 months from the start of the 12 months, clipped to what they paid; what is due is the
-- monthly amount, nothing for exempt months, half for reduced ones. Entered segment by segment
-- (roughly in the order paid: a member's payments lie all over the table, as they would).
WITH RECURSIVE seg(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM seg WHERE k < 13),
s AS (SELECT p.*, CASE p.pattern WHEN 3 THEN $m0 - $m0 % 3 ELSE $m0 END + seg.k * CASE p.pattern WHEN 4 THEN 3 ELSE p.pattern END AS ss,
             CASE p.pattern WHEN 4 THEN 3 ELSE p.pattern END AS len
      FROM seg CROSS JOIN plan p WHERE p.s >= 0),
c AS (SELECT *, max(ss, first_due) AS pf, min(ss + len - 1, s) AS pt FROM s),
x AS (SELECT *, monthly * (pt - pf + 1) - CASE WHEN ekind IS NULL THEN 0
        ELSE max(0, min(pt, eb) - max(pf, ea) + 1) * CASE ekind WHEN 'exempt' THEN monthly ELSE monthly - monthly / 2 END END AS due,
        printf('%04d-%02d-%02d', (CASE pattern WHEN 3 THEN pf ELSE pt END) / 12, (CASE pattern WHEN 3 THEN pf ELSE pt END) % 12 + 1, day) AS paid_on
      FROM c WHERE pf <= pt AND pf <= $last)
INSERT INTO party_dues_payments(member_id, member_name, member_name_sort, unit_id, from_month, from_month_sort, to_month, amount,
                                expected, paid_on, method, proxy, notes, version, created_at, updated_at)
SELECT x.id, x.name, x.name_sort, x.unit_id, k.mtext, k.sort, printf('%04d-%02d', x.pt / 12, x.pt % 12 + 1), x.due, x.due, x.paid_on,
       CASE x.method WHEN 0 THEN 'online' WHEN 1 THEN 'transfer' ELSE 'cash' END, '', '', 1,
       x.paid_on || 'T10:00:00.000Z', x.paid_on || 'T10:00:00.000Z'
FROM x JOIN month_key k ON k.m = x.pf WHERE x.due > 0;
$make_sql
COMMIT;
PRAGMA journal_mode = WAL;
SQL
read -r n_profiles n_payments n_exempt n_reduce < <(sqlite3 -separator ' ' -readonly "$db" "SELECT
  (SELECT count(*) FROM party_dues_profiles), (SELECT count(*) FROM party_dues_payments),
  (SELECT count(*) FROM party_dues_exemptions WHERE kind = 'exempt'), (SELECT count(*) FROM party_dues_exemptions WHERE kind = 'reduce')")
echo "  dues (sqlite3, one transaction): $(secs "$t0") s: $n_profiles bases, $n_payments payments, $n_exempt exempt, $n_reduce reduced"
echo "  database: $(du -sm "$work/db" | cut -f1) MiB"
fi

# 4. The reference: one query by hand in the sqlite3 shell, computing what arrears() in
#    plugins/party.dues/src/dues_rules.cpp computes: for each member on the roll with a base,
#    the months from the latest of their first base, the month after the last one paid and their
#    branch's start, to the last whole month, less the months of their exemptions in between
#    (as the plugin counts them: reductions too); those with 6 or more. Written as one would by
#    hand: each member's first base and last month paid as aggregates over the tables, joined.
#    It prints the count and checksums of (member, months); with "list" the members and months.
ref_sql() {
  local select="SELECT count(*), sum(id), sum(months), sum(id * months) FROM x WHERE months >= 6"
  [ "${1:-}" != list ] || select="SELECT id, months FROM x WHERE months >= 6 ORDER BY id"
  cat <<SQL
WITH b AS (SELECT member_id, min(from_month) AS first_base FROM party_dues_profiles GROUP BY member_id),
y AS (SELECT member_id, max(to_month) AS paid_to FROM party_dues_payments GROUP BY member_id),
f AS (
  SELECT p.id, max(substr(b.first_base, 1, 4) * 12 + substr(b.first_base, 6, 2) - 1,
                   coalesce(substr(y.paid_to, 1, 4) * 12 + substr(y.paid_to, 6, 2), 0),
                   coalesce(substr(s.start_month, 1, 4) * 12 + substr(s.start_month, 6, 2) - 1, 0)) AS since
  FROM party_members p JOIN b ON b.member_id = p.id LEFT JOIN y ON y.member_id = p.id
       LEFT JOIN party_dues_starts s ON s.unit_id = p.unit_id
  WHERE p.left_date IS NULL),
x AS (
  SELECT f.id, $last - f.since + 1 - coalesce(sum(min(e.to_m, $last) - max(e.from_m, f.since) + 1), 0) AS months
  FROM f LEFT JOIN (SELECT member_id, substr(from_month, 1, 4) * 12 + substr(from_month, 6, 2) - 1 AS from_m,
                           substr(to_month, 1, 4) * 12 + substr(to_month, 6, 2) - 1 AS to_m FROM party_dues_exemptions
                    WHERE kind = 'exempt') e
         ON e.member_id = f.id AND e.to_m >= f.since AND e.from_m <= $last
  WHERE f.since <= $last - 5
  GROUP BY f.id)
$select;
SQL
}
echo
echo "== $runs rounds, each the sqlite3 query, then the host's job (in round 1 also the GET, untimed list checks)"

# One run of the host's check: the host started on the database runs this month's check at once
# (its earlier run is deleted first); waits for the run to end. Sets job_ms (from the run's
# started_at to finished_at, as the host records them, in ms) and job_sum (count and checksums
# of what it kept in party_dues_arrears). With "get", once the job is done, also GETs the
# arrears list as the administrator and sets get_ms (curl's time_total) and get_sum.
host_round() {
  sqlite3 "$db" "DELETE FROM core_scheduled_runs WHERE plugin = 'party.dues' AND job = 'arrears-check'"
  start_tessera "$config" "$work/tessera.out"
  local state=""
  for _ in $(seq 2400); do  # up to 20 minutes
    state=$(sqlite3 -readonly "$db" "SELECT state FROM core_scheduled_runs WHERE plugin = 'party.dues' AND job = 'arrears-check' AND period = '$period'" 2>/dev/null || true)
    [ -z "$state" ] || [ "$state" = running ] || break
    nap 0.5
  done
  if [ "$state" != ok ]; then
    echo "dues-arrears: the arrears check ended '${state:-not at all}':" >&2
    sqlite3 -readonly "$db" "SELECT * FROM core_scheduled_runs WHERE plugin = 'party.dues'" >&2
    cat "$work/tessera.out.err" >&2
    exit 1
  fi
  job_ms=$(sqlite3 -readonly "$db" "SELECT printf('%.1f', (julianday(finished_at) - julianday(started_at)) * 86400000) FROM core_scheduled_runs
                                    WHERE plugin = 'party.dues' AND job = 'arrears-check' AND period = '$period'")
  job_sum=$(sqlite3 -separator ' ' -readonly "$db" "SELECT count(*), sum(member_id), sum(months), sum(member_id * months) FROM party_dues_arrears WHERE month = '$period'")
  if [ "${1:-}" = get ]; then
    local out code t
    out=$(curl -sS -H "$auth" -o "$work/arrears.json" -w '%{http_code} %{time_total}' "http://127.0.0.1:$tessera_port/api/v1/party.dues/arrears?date=$today")
    read -r code t <<<"$out"
    [ "$code" = 200 ] || { echo "dues-arrears: GET arrears answered $code:" >&2; head -c 2000 "$work/arrears.json" >&2; exit 1; }
    get_ms=$(awk -v s="$t" 'BEGIN {printf "%.1f", s * 1000}')
    get_sum=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
items = [(int(i["key"]), int(i["value"])) for i in d["items"]]
assert d["total"] == len(items)
print(len(items), sum(k for k, v in items), sum(v for k, v in items), sum(k * v for k, v in items))' "$work/arrears.json")
  fi
  stop "$tessera_pid"
}

# One run of the reference; sets ref_ms (the sqlite3 process, from launch to exit) and ref_sum.
ref_round() {
  local t0=$EPOCHREALTIME
  ref_sum=$(sqlite3 -separator ' ' -readonly "$db" "$(ref_sql)")
  ref_ms=$(elapsed_ms "$t0")
  ref_ms=$(awk -v m="$ref_ms" 'BEGIN {printf "%.1f", m}')
}

ref_all="" job_all=""
for round in $(seq "$runs"); do
  ref_round
  host_round "$([ "$round" = 1 ] && echo get)"
  printf '  round %d: sqlite3 %9s ms   job %9s ms' "$round" "$ref_ms" "$job_ms"
  [ "$round" != 1 ] || printf '   (GET once, after the job: %s ms)' "$get_ms"
  echo
  if [ "$job_sum" != "$ref_sum" ] || { [ "$round" = 1 ] && [ "$get_sum" != "$ref_sum" ]; }; then
    echo "dues-arrears: the answers differ (count, sum of ids, sum of months, sum of id*months):" >&2
    echo "  sqlite3: $ref_sum" >&2; echo "  job:     $job_sum" >&2; [ "$round" != 1 ] || echo "  GET:     $get_sum" >&2
    exit 1
  fi
  ref_all+="$ref_ms " job_all+="$job_ms "
  [ "$round" = 1 ] || continue
  # The whole lists, once: the same members with the same months.
  sqlite3 -separator ' ' -readonly "$db" "$(ref_sql list)" >"$work/ref.txt"
  sqlite3 -separator ' ' -readonly "$db" "SELECT member_id, months FROM party_dues_arrears WHERE month = '$period' ORDER BY member_id" >"$work/job.txt"
  if ! cmp -s "$work/ref.txt" "$work/job.txt"; then
    echo "dues-arrears: the job's members differ from the query's:" >&2
    diff "$work/ref.txt" "$work/job.txt" | head -20 >&2
    exit 1
  fi
  read -r n_arrears _ <<<"$ref_sum"
  printf '           %s members in arrears (%.2f%% of %s): the same members and months from all three\n' "$n_arrears" \
    "$(awk -v a="$n_arrears" -v n="$members" 'BEGIN {print 100 * a / n}')" "$members"
done


# shellcheck disable=SC2086
ref_med=$(median $ref_all) job_med=$(median $job_all)
echo
echo "median of $runs runs, $members members ($n_arrears in arrears)      ms   ratio to sqlite3"
printf '  sqlite3 shell, one hand-written query        %10s          1.00\n' "$ref_med"
printf '  host, the scheduled job arrears-check        %10s   %11s\n' "$job_med" "$(ratio "$job_med" "$ref_med")"
echo "  (job: the run's started_at to finished_at as the host records them: arrears() and writing"
echo "   party_dues_arrears in one transaction; sqlite3: the shell process, launch to exit)"
if [ -n "$keep" ]; then
  mkdir -p "$keep" && cp "$db" "$keep/" && echo "  database kept in $keep/$(basename "$db")"
fi
echo
echo "whole script: $(secs "$t_script") s (after the build)"
