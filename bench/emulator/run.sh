#!/usr/bin/env bash
# Benchmark the Tableau emulator with wrk on 127.0.0.1:
#   requests/s for GET /api/3.24/serverinfo and for a paged workbook list (pageSize=100) on a
#   site of 10,000 workbooks, plus the emulator's resident memory after loading and after the runs.
#
# Usage: bench/emulator/run.sh            (uses .build/release/freshet if present, else the debug build)
#   FRESHET=/path/to/freshet   binary to run
#   DURATION=10s THREADS=2 CONNECTIONS=32   wrk settings
#   BUILD=release              build `swift build -c release --product freshet` first (slow on 2 cores)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seed="$here/seed-10k.json"
duration="${DURATION:-10s}"
threads="${THREADS:-2}"
connections="${CONNECTIONS:-32}"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is missing" >&2; exit 2; }

if [[ "${BUILD:-}" == "release" ]]; then
  (cd "$root" && swift build -c release --product freshet)
fi
if [[ -n "${FRESHET:-}" ]]; then
  binary="$FRESHET"
elif [[ -x "$root/.build/release/freshet" ]]; then
  binary="$root/.build/release/freshet"
elif [[ -x "$root/.build/debug/freshet" ]]; then
  binary="$root/.build/debug/freshet"
else
  echo "no freshet binary: run 'swift build --product freshet' (or BUILD=release $0)" >&2
  exit 2
fi
case "$binary" in
  *release*) label="release" ;;
  *debug*) label="debug" ;;
  *) label="custom" ;;
esac

work="$(mktemp -d)"
# shellcheck source=../lib/emulator.sh
source "$(dirname "$0")/../lib/emulator.sh"

rss() { awk '/^VmRSS/ {printf "%.1f MiB", $2 / 1024}' "/proc/$1/status"; }

started=$(date +%s.%N)
start_emulator "$binary" "$seed" "$work"
url="$emulator_url"
ready=$(date +%s.%N)
load_seconds=$(awk -v a="$started" -v b="$ready" 'BEGIN {printf "%.2f", b - a}')

signin="$(curl -sf -X POST "$url/api/3.24/auth/signin" -H 'Accept: application/json' -H 'Content-Type: application/json' \
  -d '{"credentials":{"personalAccessTokenName":"bench","personalAccessTokenSecret":"bench-secret","site":{"contentUrl":""}}}')"
token="$(printf '%s' "$signin" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
site="$(printf '%s' "$signin" | sed -n 's/.*"site":{"id":"\([^"]*\)".*/\1/p')"
[[ -n "$token" && -n "$site" ]] || { echo "sign-in failed: $signin" >&2; exit 1; }

total="$(curl -sf "$url/api/3.24/sites/$site/workbooks?pageSize=1" -H "X-Tableau-Auth: $token" -H 'Accept: application/json' \
  | sed -n 's/.*"totalAvailable":"\([0-9]*\)".*/\1/p')"
rss_loaded="$(rss "$emulator_pid")"

rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
latency() { awk '/^    Latency/ {print $2}' "$1"; }
errors() { awk '/Non-2xx or 3xx responses:/ {n += $NF} /Socket errors:/ {n += 1} END {print n + 0}' "$1"; }

wrk -t"$threads" -c"$connections" -d"$duration" --latency "$url/api/3.24/serverinfo" >"$work/serverinfo.txt"
SITE="$site" TOKEN="$token" PAGES=100 \
  wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$here/pages.lua" "$url" >"$work/pages.txt"
rss_after="$(rss "$emulator_pid")"
logged="$(curl -sf "$url/_emulator/requests" | grep -o '"method"' | wc -l)"
rss_with_log="$(rss "$emulator_pid")"
curl -sf -X DELETE "$url/_emulator/requests" >/dev/null

echo
echo "Tableau emulator benchmark ($label build: $binary)"
echo "seed: $(basename "$seed") — $total workbooks; wrk -t$threads -c$connections -d$duration on 127.0.0.1; $(nproc) CPUs"
echo
printf '%-52s %12s %12s %8s\n' "endpoint" "requests/s" "avg latency" "errors"
printf '%-52s %12s %12s %8s\n' "GET /api/3.24/serverinfo" "$(rps "$work/serverinfo.txt")" "$(latency "$work/serverinfo.txt")" "$(errors "$work/serverinfo.txt")"
printf '%-52s %12s %12s %8s\n' "GET …/workbooks?pageSize=100&pageNumber=1..100" "$(rps "$work/pages.txt")" "$(latency "$work/pages.txt")" "$(errors "$work/pages.txt")"
echo
printf '%-52s %s\n' "start-up (seed load) time" "${load_seconds} s"
printf '%-52s %s\n' "resident memory after loading (VmRSS)" "$rss_loaded"
printf '%-52s %s\n' "resident memory after the runs" "$rss_after"
printf '%-52s %s\n' "requests in the emulator's request log" "$logged"
printf '%-52s %s\n' "resident memory after reading the log" "$rss_with_log"
