#!/usr/bin/env bash
# Start-up time of `tessera serve --port 0` with every built plugin enabled, from launch until
# GET /api/v1/health answers 200: on a fresh database (migrations run) and on an existing one.
# Side by side, in the same loop, the time nginx takes from launch until it serves a file.
# Also the host's memory right after start-up (VmRSS and peak VmHWM from /proc/PID/status).
#
#   bench/startup.sh [--build DIR] [--runs N] [--threads T]
#
# Defaults: build-bench (or $TESSERA_BENCH_BUILD), 25 runs, 2 server threads (tessera's
# <limits threads>, nginx's worker_processes). Readiness is polled every millisecond through
# bash's /dev/tcp (no process is started while timing), the same way for both servers.
source "$(dirname "$0")/lib.sh"

build_arg="" runs=25 threads=2
while [ $# -gt 0 ]; do
  case $1 in
    --build) build_arg=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "startup: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
bench_require
bench_build "$build_arg"

db="$work/db/startup.db"
deployment_config "$work/deployment.xml" "$db" 0 "$threads"
plugins=$(grep -o 'plugin id="[^"]*"' "$work/deployment.xml" | sed 's/.*="//; s/"//' | paste -sd, -)

mkdir -p "$work/www"
echo '{"status":"ok"}' >"$work/www/health.json"
nginx_port=$(free_port)
nginx_config "$work/nginx" "$work/www" "$nginx_port" "$threads"

declare -A ms
fresh_rss="" fresh_hwm="" existing_rss="" existing_hwm="" nginx_rss=""
tessera_run() {  # $1: fresh or existing
  [ "$1" = existing ] || rm -rf "$(dirname "$db")"
  start_tessera "$work/deployment.xml" "$work/tessera.out"
  read -r rss hwm < <(rss_kib "$tessera_pid")
  grep -q '"pluginsNotRunning":0' < <(curl -fsS "http://127.0.0.1:$tessera_port/api/v1/health") ||
    echo "  WARNING: some plugins are not running: $(curl -sS "http://127.0.0.1:$tessera_port/api/v1/plugins")" >&2
  stop "$tessera_pid"
}
nginx_run() {
  start_nginx "$work/nginx" "$nginx_port" /health.json
  local p kib=0
  # The master and its workers together.
  for p in "$nginx_pid" $(cat "/proc/$nginx_pid/task/"*/children); do kib=$((kib + $(rss_kib "$p" | cut -d' ' -f1))); done
  rss=$kib
  stop "$nginx_pid"
}

echo "tessera: $build/bin/tessera serve --port 0, plugins: $plugins, threads: $threads"
echo "nginx:   $(nginx -v 2>&1 | sed 's/.*: //'), worker_processes $threads, serving a static file"
echo "$runs runs each, alternating (tessera fresh, tessera existing, nginx); times in ms to the first 200"
tessera_run fresh; tessera_run existing; nginx_run  # warm-up: page cache for binaries and libraries
for i in $(seq "$runs"); do
  tessera_run fresh;    ms[fresh]+="$ready_ms ";    fresh_rss+="$rss ";    fresh_hwm+="$hwm "
  t_fresh=$ready_ms
  tessera_run existing; ms[existing]+="$ready_ms "; existing_rss+="$rss "; existing_hwm+="$hwm "
  t_existing=$ready_ms
  nginx_run;            ms[nginx]+="$ready_ms ";    nginx_rss+="$rss "
  printf '  run %2d/%d  tessera fresh %8.2f   tessera existing %8.2f   nginx %8.2f\n' \
    "$i" "$runs" "$t_fresh" "$t_existing" "$ready_ms"
done

# shellcheck disable=SC2086  # the lists are space-separated on purpose
{
  m_fresh=$(median ${ms[fresh]}) m_existing=$(median ${ms[existing]}) m_nginx=$(median ${ms[nginx]})
  r_fresh=$(median $fresh_rss) h_fresh=$(median $fresh_hwm)
  r_existing=$(median $existing_rss) h_existing=$(median $existing_hwm) r_nginx=$(median $nginx_rss)
}
echo
echo "median of $runs runs          ready (ms)   ratio to nginx   VmRSS (MiB)   VmHWM (MiB)"
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
printf '  tessera, fresh db     %9.2f   %14s   %11s   %11s\n' "$m_fresh" "$(ratio "$m_fresh" "$m_nginx")" "$(mib "$r_fresh")" "$(mib "$h_fresh")"
printf '  tessera, existing db  %9.2f   %14s   %11s   %11s\n' "$m_existing" "$(ratio "$m_existing" "$m_nginx")" "$(mib "$r_existing")" "$(mib "$h_existing")"
printf '  nginx (reference)     %9.2f   %14s   %11s   %11s\n' "$m_nginx" "1.00" "$(mib "$r_nginx")" "-"
echo "  (nginx memory is the master plus its $threads workers; tessera's is one process)"
