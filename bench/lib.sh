# shellcheck shell=bash
# Shared helpers for the bench/*.sh scripts (sourced, not run).
# Sets: repo (the source tree), build (the build directory), work (a temporary folder removed
# on exit). Every process started with `track PID` is stopped on exit, whatever happens.

set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Installs what a benchmark needs (Debian packages), like scripts/setup: only what is missing,
# with sudo when not root.
bench_require() { bench_install nginx:nginx-light wrk:wrk curl:curl; }

# The same for any benchmark: each argument is command:package, installed when the command
# is missing; the build tools come along when they are not installed.
bench_install() {
  local missing=() p spec
  for spec in "$@"; do command -v "${spec%%:*}" >/dev/null || missing+=("${spec#*:}"); done
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

# The build directory: --build DIR, else $TESSERA_BENCH_BUILD, else build-bench. Configured
# Release and built when it has no tessera binary yet (scripts/setup installs the compilers and
# libraries); an existing build is used as it is, so rebuild it yourself after changing code.
bench_build() {
  build=${1:-${TESSERA_BENCH_BUILD:-$repo/build-bench}}
  case $build in /*) ;; *) build=$PWD/$build ;; esac
  if [ ! -x "$build/bin/tessera" ]; then
    echo "bench: building $build (Release)"
    [ -f "$build/CMakeCache.txt" ] ||
      cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTESSERA_BUILD_TESTS=OFF >/dev/null
    cmake --build "$build" -j "${TESSERA_JOBS:-2}" >/dev/null
  fi
  local type
  type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
  [ "$type" = Release ] || echo "bench: WARNING: $build is a '${type:-default}' build, not Release; numbers will be low" >&2
}

pids=()
track() { pids+=("$1"); }
bench_cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -z "${work:-}" ] || rm -rf "$work"
}
work=$(mktemp -d "${TMPDIR:-/tmp}/tessera-bench.XXXXXX")
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# Stops one tracked process (SIGTERM, then SIGKILL after 10 s) and waits for it.
stop() {
  local pid=$1
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1000); do kill -0 "$pid" 2>/dev/null || break; nap 0.01; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Median of the numbers given as arguments (mean of the middle two for an even count).
median() {
  printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'
}

# a/b with 2 decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }

# A free TCP port on 127.0.0.1 (for nginx, which cannot pick one itself): no socket uses it
# in any state, since a client connection on it (wrk's own ports) makes the bind fail too.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    ss -Htan "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}

# Sets http_code to the status of GET http://127.0.0.1:PORT/PATH, empty when nobody answers.
# Uses bash's /dev/tcp and no subshell, so polling starts no process.
http_get_status() {
  http_code=""
  { printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
    IFS= read -r -t 2 http_code <&3 || true; } 2>/dev/null 3<>"/dev/tcp/127.0.0.1/$1" || true
  http_code=${http_code#HTTP/1.? }
  http_code=${http_code%% *}
}

# Writes an nginx config serving the folder $2 on 127.0.0.1:$3 with $4 workers, everything
# (pid, logs, temp files) under the prefix folder $1. Run with: nginx -p $1 -c $1/nginx.conf
nginx_config() {
  local prefix=$1 root=$2 port=$3 workers=$4 user=""
  # As root, nginx would hand the workers to "nobody", who cannot read our private temp folder.
  [ "$(id -u)" -ne 0 ] || user="user root root;"
  mkdir -p "$prefix/tmp"
  cat >"$prefix/nginx.conf" <<EOF
$user
worker_processes $workers;
daemon off;
pid $prefix/nginx.pid;
error_log $prefix/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_timeout 65;
  keepalive_requests 100000000;
  client_body_temp_path $prefix/tmp/body;
  proxy_temp_path $prefix/tmp/proxy;
  fastcgi_temp_path $prefix/tmp/fastcgi;
  uwsgi_temp_path $prefix/tmp/uwsgi;
  scgi_temp_path $prefix/tmp/scgi;
  types { application/json json; }
  default_type application/json;
  server {
    listen 127.0.0.1:$port;
    root $root;
  }
}
EOF
}

# Writes a deployment config $1 with database $2, port $3, $4 io threads, and every plugin
# built into $build/lib/tessera/plugins (or the ids given after the fourth argument).
deployment_config() {
  local file=$1 db=$2 port=$3 threads=$4 ids=("${@:5}") id
  if [ ${#ids[@]} -eq 0 ]; then
    for id in "$build"/lib/tessera/plugins/*/manifest.xml; do ids+=("$(basename "$(dirname "$id")")"); done
  fi
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo '<deployment name="bench">'
    echo "  <database path=\"$db\"/>"
    echo "  <listen address=\"127.0.0.1\" port=\"$port\"/>"
    echo "  <limits threads=\"$threads\"/>"
    echo "  <plugin-dir path=\"$build/lib/tessera/plugins\"/>"
    echo '  <plugins>'
    for id in "${ids[@]}"; do echo "    <plugin id=\"$id\"/>"; done
    echo '  </plugins>'
    echo '</deployment>'
  } >"$file"
}

# Sleeps $1 seconds without starting a process (a read that times out on a FIFO nobody
# writes), so polling loops disturb what they time as little as possible.
nap() {
  if [ -z "${nap_fd:-}" ]; then
    mkfifo "$work/nap"
    exec {nap_fd}<>"$work/nap"
  fi
  read -r -t "$1" -u "$nap_fd" _ || true
}

# Starts `tessera serve --config $1 --port 0 --quiet` in the background (stdout to $2, stderr
# to $2.err) and waits until GET $3 (default /api/v1/health) answers 200. Sets tessera_pid,
# tessera_port, and ready_ms: milliseconds from launch until that answer.
start_tessera() {
  local config=$1 out=$2 path=${3:-/api/v1/health} t0 line=""
  rm -f "$out" "$out.err"  # never read the line of an earlier run
  t0=$EPOCHREALTIME
  "$build/bin/tessera" serve --config "$config" --port 0 --quiet >"$out" 2>"$out.err" &
  tessera_pid=$!
  track "$tessera_pid"
  tessera_port=""
  while kill -0 "$tessera_pid" 2>/dev/null && [ "${EPOCHREALTIME%.*}" -lt "$((${t0%.*} + 30))" ]; do
    if [ -z "$tessera_port" ]; then
      # The first stdout line is "listening on http://127.0.0.1:PORT/".
      { IFS= read -r line <"$out"; } 2>/dev/null || true
      [[ $line =~ ^listening\ on\ http://.*:([0-9]+)/ ]] && tessera_port=${BASH_REMATCH[1]}
    fi
    if [ -n "$tessera_port" ]; then
      http_get_status "$tessera_port" "$path"
      if [ "$http_code" = 200 ]; then
        ready_ms=$(elapsed_ms "$t0")
        return 0
      fi
    fi
    nap 0.001
  done
  echo "bench: tessera did not answer within 30 s; its output:" >&2
  cat "$out" "$out.err" >&2
  return 1
}

# Starts `nginx -p $1 -c $1/nginx.conf` in the background and waits until GET $3 on port $2
# answers 200. Sets nginx_pid (the master) and ready_ms.
start_nginx() {
  local prefix=$1 port=$2 path=$3 t0
  t0=$EPOCHREALTIME
  nginx -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log" &
  nginx_pid=$!
  track "$nginx_pid"
  while kill -0 "$nginx_pid" 2>/dev/null && [ "${EPOCHREALTIME%.*}" -lt "$((${t0%.*} + 30))" ]; do
    http_get_status "$port" "$path"
    if [ "$http_code" = 200 ]; then
      ready_ms=$(elapsed_ms "$t0")
      return 0
    fi
    nap 0.001
  done
  echo "bench: nginx did not answer within 30 s; its error log:" >&2
  cat "$prefix/error.log" >&2
  return 1
}

# Milliseconds (3 decimals) since $1, a value of $EPOCHREALTIME.
elapsed_ms() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.3f", (b - a) * 1000}'; }

# Resident memory of process $1 in KiB: "VmRSS VmHWM" (current and peak).
rss_kib() { awk '/^VmRSS:/ {r=$2} /^VmHWM:/ {h=$2} END {print r, h}' "/proc/$1/status"; }
