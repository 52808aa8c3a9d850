#!/usr/bin/env bash
# Benchmark Freshet's HTTP API with wrk on 127.0.0.1 (issue 6's measurement):
#   requests/s and p99 latency for GET /api/v1/runs/{id} and for POST /api/v1/runs with a
#   repeated idempotency key (the run already exists), side by side with a bare Hummingbird
#   route returning a constant (freshet-bench bare-http) on the same machine.
#   Targets: reads >= 1/2 of the bare route's rate, idempotent writes >= 1/4.
#
# Usage: bench/api/run.sh        (uses .build/release binaries if both exist, else the debug build)
#   DURATION=10s THREADS=2 CONNECTIONS=32   wrk settings
#   BUILD=release                build both products in release first (slow on 2 cores)
#   RESULTS=bench/results/api-DATE.md       where the report is also written
#   PROFILE=DIR                  also record `perf record -g` of the server during each API phase
#                                into DIR/get.perf and DIR/post.perf (perf must be installed)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
duration="${DURATION:-10s}"
threads="${THREADS:-2}"
connections="${CONNECTIONS:-32}"
results="${RESULTS:-$root/bench/results/api-$(date +%Y-%m-%d).md}"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is missing" >&2; exit 2; }

if [[ "${BUILD:-}" == "release" ]]; then
  (cd "$root" && swift build -c release --product freshet && swift build -c release --product freshet-bench)
fi
config=debug
if [[ -x "$root/.build/release/freshet" && -x "$root/.build/release/freshet-bench" ]]; then config=release; fi
freshet="$root/.build/$config/freshet"
bench="$root/.build/$config/freshet-bench"
[[ -x "$freshet" && -x "$bench" ]] || { echo "build first: swift build --product freshet && swift build --product freshet-bench" >&2; exit 2; }

work="$(mktemp -d)"
# shellcheck source=../lib/emulator.sh
source "$here/../lib/emulator.sh"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  stop_emulator
}
start_emulator "$freshet" "$here/seed.json" "$work"
trap cleanup EXIT

# Waits for "PREFIX http://…" in FILE and prints the URL.
url_from() {
  local file="$1" prefix="$2" pid="$3"
  for _ in $(seq 1 600); do
    local url
    url="$(sed -n "s|^$prefix \(http://[^ ]*\)$|\1|p" "$file" | head -1)"
    [[ -n "$url" ]] && { echo "$url"; return 0; }
    kill -0 "$pid" 2>/dev/null || { echo "exited: $(cat "$file")" >&2; return 1; }
    sleep 0.1
  done
  return 1
}

export FRESHET_DATA_DIR="$work/data"
export FRESHET_MASTER_KEY="$(head -c 32 /dev/urandom | base64)"
export FRESHET_LOG_LEVEL=warning
echo "demo-admin-pat-secret" | "$freshet" connection add demo --server "$emulator_url" --pat-name freshet-admin --pat-secret-stdin >/dev/null
token="$("$freshet" token create bench --scope refresh --scope read --allow-connection demo --allow-project '*' | sed -n 's/^  \(fsh_.*\)$/\1/p')"
[[ -n "$token" ]] || { echo "no token" >&2; exit 1; }

"$freshet" serve --port 0 >"$work/serve.out" 2>"$work/serve.err" &
pids+=($!)
api="$(url_from "$work/serve.out" "Freshet listening on" "${pids[-1]}")"
"$bench" bare-http >"$work/bare.out" 2>/dev/null &
pids+=($!)
bare="$(url_from "$work/bare.out" "bare-http listening on" "${pids[-1]}")"

key="bench-$(date +%s)"
created="$(curl -sf -X POST "$api/api/v1/runs" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -H "Idempotency-Key: $key" -d '{"connection": "demo", "targets": [{"datasource": "Quick"}], "waitSeconds": 30}')"
run="$(printf '%s' "$created" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -1)"
[[ -n "$run" ]] || { echo "the run was not created: $created" >&2; exit 1; }
refresh_calls_before="$(curl -sf "$emulator_url/_emulator/requests" | grep -o '/refresh"' | wc -l)"

rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
p99() { awk '/^ +99%/ {print $2}' "$1"; }
errors() { awk '/Non-2xx or 3xx responses:/ {n += $NF} /Socket errors:/ {n += 1} END {print n + 0}' "$1"; }

wrk -t"$threads" -c"$connections" -d"$duration" --latency "$bare/" >"$work/bare.txt"
serve_pid="${pids[0]}"
# Runs "$@" (a wrk phase), recording the server with perf into $PROFILE/NAME.perf when asked.
profiled() {
  local name="$1"; shift
  if [[ -z "${PROFILE:-}" ]]; then "$@"; return; fi
  mkdir -p "$PROFILE"
  perf record -g -o "$PROFILE/$name.perf" -p "$serve_pid" 2>/dev/null &
  local perf_pid=$!
  "$@"
  kill -INT "$perf_pid"; wait "$perf_pid" || true
}
profiled get wrk -t"$threads" -c"$connections" -d"$duration" --latency -H "Authorization: Bearer $token" "$api/api/v1/runs/$run" >"$work/get.txt"
TOKEN="$token" KEY="$key" profiled post wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$here/post-runs.lua" "$api/api/v1/runs" >"$work/post.txt"
refresh_calls_after="$(curl -sf "$emulator_url/_emulator/requests" | grep -o '/refresh"' | wc -l)"
runs_total="$(curl -sf "$api/api/v1/runs?limit=1000" -H "Authorization: Bearer $token" | grep -o '"id":' | wc -l)"

bare_rps="$(rps "$work/bare.txt")"
ratio() { awk -v a="$1" -v b="$bare_rps" 'BEGIN {printf "%.2f", a / b}'; }
get_rps="$(rps "$work/get.txt")"
post_rps="$(rps "$work/post.txt")"
verdict() { awk -v r="$1" -v t="$2" 'BEGIN {print (r >= t) ? "met" : "NOT met"}'; }

report="$work/report.md"
{
  echo "# HTTP API benchmark ($(date +%Y-%m-%d))"
  echo
  echo "$config build; wrk -t$threads -c$connections -d$duration on 127.0.0.1; $(nproc) CPUs; SQLite in a temporary data directory;"
  echo "the emulator as Tableau. Every API request is bearer-authenticated and authorized (SHA-256 of the token, remembered 2 s: docs/decisions/0005-api-hot-paths.md)."
  echo
  echo "| endpoint | requests/s | p99 latency | errors | vs bare | target |"
  echo "| --- | ---: | ---: | ---: | ---: | --- |"
  echo "| bare Hummingbird \`GET /\` → \"ok\" | $bare_rps | $(p99 "$work/bare.txt") | $(errors "$work/bare.txt") | 1.00 | — |"
  echo "| \`GET /api/v1/runs/{id}\` | $get_rps | $(p99 "$work/get.txt") | $(errors "$work/get.txt") | $(ratio "$get_rps") | ≥ 0.50: $(verdict "$(ratio "$get_rps")" 0.5) |"
  echo "| \`POST /api/v1/runs\`, repeated Idempotency-Key | $post_rps | $(p99 "$work/post.txt") | $(errors "$work/post.txt") | $(ratio "$post_rps") | ≥ 0.25: $(verdict "$(ratio "$post_rps")" 0.25) |"
  echo
  echo "Runs stored after the POST load: $runs_total (1 expected); Tableau refresh calls during it: $((refresh_calls_after - refresh_calls_before)) (0 expected)."
} >"$report"
cat "$report"
mkdir -p "$(dirname "$results")"
cp "$report" "$results"
echo
echo "written to $results"
