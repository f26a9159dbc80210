#!/usr/bin/env bash
# GET throughput of one customer read from `tessera serve`, side by side with nginx serving the
# same body bytes from a static file. Runs alternate (tessera, nginx, tessera, nginx ...) so
# both see the same machine load; prints per-run numbers, the medians and tessera/nginx. Beside
# requests/s, each server's CPU time per request (user + system, from /proc; nginx's workers
# counted): on a shared machine that moves far less than the throughput does.
#
#   bench/http-throughput.sh [--build DIR] [--baseline DIR] [--runs N] [--duration S]
#                            [--connections C] [--threads T] [--wrk-threads W]
#
# Defaults: build-bench (or $TESSERA_BENCH_BUILD), 5 runs of 5 s each, `wrk -t1 -c32`, and 2
# server threads (tessera's <limits threads>, nginx's worker_processes). --baseline runs the
# tessera of another build (an older commit) on the same database in the same rounds.
source "$(dirname "$0")/lib.sh"

build_arg="" baseline_arg="" runs=5 duration=5 connections=32 threads=2 wrk_threads=1
while [ $# -gt 0 ]; do
  case $1 in
    --build) build_arg=$2; shift 2 ;;
    --baseline) baseline_arg=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --wrk-threads) wrk_threads=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "http-throughput: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
bench_require
bench_build "$build_arg"

# tessera with biz.customers on a fresh database, and one customer to read.
deployment_config "$work/deployment.xml" "$work/db/bench.db" 0 "$threads" biz.customers
# An administrator and an API token: every plugin route needs a caller (the token check and
# the permission check are part of what is measured, as in real use).
echo "bench-password" | "$build/bin/tessera" user add bench --unit 1 --admin --password-stdin --config "$work/deployment.xml" >/dev/null
token=$("$build/bin/tessera" user token bench --label benchmark --config "$work/deployment.xml")
auth="Authorization: Bearer $token"
start_tessera "$work/deployment.xml" "$work/tessera.out"
customer='{"name":"上海示例贸易有限公司","contact":"张伟","phone":"021-6888 1234","address":"上海市浦东新区世纪大道 100 号 18 楼","notes":"年度框架协议客户，月结 30 天；发票寄送财务部。"}'
code=$(curl -sS -D "$work/created.headers" -o "$work/created.body" -w '%{http_code}' -H "$auth" -H 'Content-Type: application/json' \
  --data-binary "$customer" "http://127.0.0.1:$tessera_port/api/v1/biz.customers/customers")
location=$(sed -n 's/^location: *//Ip' "$work/created.headers" | tr -d '\r')
if [ "$code" != 201 ] || [ -z "$location" ]; then
  echo "http-throughput: creating the customer answered $code, not 201 with a Location:" >&2
  cat "$work/created.body" >&2; echo >&2
  exit 1
fi
tessera_url="http://127.0.0.1:$tessera_port$location"
servers="tessera nginx"

# The baseline: another build's tessera on the same database, with its own plugins.
if [ -n "$baseline_arg" ]; then
  main_build=$build main_pid=$tessera_pid main_port=$tessera_port
  build=$(cd "$baseline_arg" && pwd)
  [ -x "$build/bin/tessera" ] || { echo "http-throughput: $build has no bin/tessera; build it first" >&2; exit 2; }
  sed "s#$main_build/lib/tessera/plugins#$build/lib/tessera/plugins#" "$work/deployment.xml" >"$work/baseline.xml"
  start_tessera "$work/baseline.xml" "$work/baseline.out"
  baseline_url="http://127.0.0.1:$tessera_port$location" baseline_pid=$tessera_pid
  build=$main_build tessera_pid=$main_pid tessera_port=$main_port
  servers="tessera baseline nginx"
fi

# nginx serving the very same body bytes as application/json.
mkdir -p "$work/www"
curl -fsS -H "$auth" -o "$work/www/customer.json" "$tessera_url"
nginx_port=$(free_port)
nginx_config "$work/nginx" "$work/www" "$nginx_port" "$threads"
start_nginx "$work/nginx" "$nginx_port" /customer.json
nginx_url="http://127.0.0.1:$nginx_port/customer.json"

# Sizes: body bytes must match; headers differ a little (nginx adds Last-Modified, ETag ...).
sizes() { curl -fsS -H "${3:-X-Bench: 1}" -o "$work/body.$2" -w '%{size_header} %{size_download} %{content_type}\n' "$1"; }
read -r t_head t_body t_type < <(sizes "$tessera_url" tessera "$auth")
read -r n_head n_body n_type < <(sizes "$nginx_url" nginx)
cmp -s "$work/body.tessera" "$work/body.nginx" || { echo "http-throughput: the bodies differ" >&2; exit 1; }

# CPU time (user + system, in clock ticks) of process $1 and its children (nginx's workers).
cpu_ticks() {
  local p total=0
  for p in "$1" $(pgrep -P "$1" || true); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
hz=$(getconf CLK_TCK)

# One wrk run; prints "requests/s p50_us p99_us non2xx socket_errors requests".
measure() {
  wrk -t"$wrk_threads" -c"$connections" -d"$2" --latency -H "${3:-X-Bench: 1}" "$1" | awk '
    function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000; if (v ~ /m$/) return v * 60e6; return v * 1e6 }
    /^ +50%/ { p50 = us($2) }  /^ +99%/ { p99 = us($2) }
    /Non-2xx/ { bad = $NF }    /Socket errors/ { errs = $4 + $6 + $8 + $10 }
    /^Requests\/sec:/ { rps = $2 }  / requests in / { n = $1 }
    END { printf "%.0f %.0f %.0f %d %d %d\n", rps, p50, p99, bad, errs, n }'
}

echo "tessera: $tessera_url"
[ -z "$baseline_arg" ] || echo "baseline: $baseline_url ($baseline_arg)"
echo "nginx:   $nginx_url"
printf 'response: tessera %s header + %s body bytes (%s)\n' "$t_head" "$t_body" "$t_type"
printf '          nginx   %s header + %s body bytes (%s)\n' "$n_head" "$n_body" "$n_type"
echo "load: wrk -t$wrk_threads -c$connections -d${duration}s, $runs runs each, alternating; server threads: $threads"
measure "$tessera_url" 1s "$auth" >/dev/null  # warm-up: caches, prepared statements, page cache
[ -z "$baseline_arg" ] || measure "$baseline_url" 1s "$auth" >/dev/null
measure "$nginx_url" 1s >/dev/null

declare -A rps p50 p99 cpu
for i in $(seq "$runs"); do
  for server in $servers; do
    url=${server}_url pid=${server}_pid
    header="X-Bench: 1"
    [ "$server" = nginx ] || header=$auth
    t0=$(cpu_ticks "${!pid}")
    read -r r l50 l99 bad errs n < <(measure "${!url}" "${duration}s" "$header")
    t1=$(cpu_ticks "${!pid}")
    us=$(awk -v d=$((t1 - t0)) -v hz="$hz" -v n="$n" 'BEGIN {printf "%.1f", (n > 0 ? d * 1e6 / hz / n : 0)}')
    [ "$bad" -eq 0 ] && [ "$errs" -eq 0 ] || echo "  WARNING: $server run $i had $bad non-2xx responses and $errs socket errors" >&2
    rps[$server]+="$r " p50[$server]+="$l50 " p99[$server]+="$l99 " cpu[$server]+="$us "
    printf '  run %d/%d  %-8s %9s req/s   p50 %6s us   p99 %6s us   CPU %5s us/request\n' "$i" "$runs" "$server" "$r" "$l50" "$l99" "$us"
  done
done

# shellcheck disable=SC2086  # the per-server lists are space-separated on purpose
{
  t_rps=$(median ${rps[tessera]}) n_rps=$(median ${rps[nginx]})
  t_p50=$(median ${p50[tessera]}) n_p50=$(median ${p50[nginx]})
  t_p99=$(median ${p99[tessera]}) n_p99=$(median ${p99[nginx]})
  t_cpu=$(median ${cpu[tessera]}) n_cpu=$(median ${cpu[nginx]})
}
echo
echo "median of $runs runs     tessera      nginx   tessera/nginx"
printf '  requests/s    %10.0f %10.0f   %6s\n' "$t_rps" "$n_rps" "$(ratio "$t_rps" "$n_rps")"
printf '  latency p50   %7.0f us %7.0f us   %6s\n' "$t_p50" "$n_p50" "$(ratio "$t_p50" "$n_p50")"
printf '  latency p99   %7.0f us %7.0f us   %6s\n' "$t_p99" "$n_p99" "$(ratio "$t_p99" "$n_p99")"
printf '  CPU/request   %7.1f us %7.1f us   %6s   (nginx/tessera: %s)\n' "$t_cpu" "$n_cpu" "$(ratio "$t_cpu" "$n_cpu")" "$(ratio "$n_cpu" "$t_cpu")"
if [ -n "$baseline_arg" ]; then
  # shellcheck disable=SC2086
  { b_rps=$(median ${rps[baseline]}) b_p50=$(median ${p50[baseline]}) b_p99=$(median ${p99[baseline]}) b_cpu=$(median ${cpu[baseline]}); }
  echo
  echo "median of $runs runs    baseline      nginx  baseline/nginx  tessera/baseline"
  printf '  requests/s    %10.0f %10.0f   %6s          %6s\n' "$b_rps" "$n_rps" "$(ratio "$b_rps" "$n_rps")" "$(ratio "$t_rps" "$b_rps")"
  printf '  latency p50   %7.0f us %7.0f us   %6s          %6s\n' "$b_p50" "$n_p50" "$(ratio "$b_p50" "$n_p50")" "$(ratio "$t_p50" "$b_p50")"
  printf '  latency p99   %7.0f us %7.0f us   %6s          %6s\n' "$b_p99" "$n_p99" "$(ratio "$b_p99" "$n_p99")" "$(ratio "$t_p99" "$b_p99")"
  printf '  CPU/request   %7.1f us %7.1f us   %6s          %6s\n' "$b_cpu" "$n_cpu" "$(ratio "$b_cpu" "$n_cpu")" "$(ratio "$t_cpu" "$b_cpu")"
fi
