#!/usr/bin/env bash
# Refresh-runs benchmark (issue 5): 200 concurrent refresh requests through Freshet's refresh
# engine vs the same 20 refreshes done the Airflow way (tableauserverclient refresh +
# wait_for_job, one process per task), on one emulator in one run, on 127.0.0.1 only.
#
# Phases, each on a cleared request log:
#   freshet-200  freshet-bench refresh: 200 requests at once, round-robin over "Data Source 01"…"20"
#   tsc-20       bench/refresh/tsc_bench.py: the same 20, one process each, PATs bench-admin-01…20
#                (starts after every job of the first phase has finished)
# Every refresh job takes 3 s; the site runs up to 25 jobs at once (bench/refresh/seed.json).
# Output: a side-by-side table with the target of issue 5, printed and written to
# bench/results/refresh-<date>.md; the raw phase data (tool output, request logs, jobs) goes to
# bench/results/refresh-<date>/.
#
# Usage: bench/refresh/run.sh
#   NO_BUILD=1          skip `swift build` (use the existing debug binaries)
#   REQUESTS=200        requests in the Freshet phase
#   PHASE_TIMEOUT=300   seconds allowed per phase; BUILD_TIMEOUT=2400 for each build
# Exit status: 0 all targets pass, 3 a target fails, other: the benchmark could not run.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="$root/.venv-tsc/bin/python"
phase_timeout="${PHASE_TIMEOUT:-300}"
build_timeout="${BUILD_TIMEOUT:-2400}"
requests="${REQUESTS:-200}"

[[ -x "$python" ]] || { echo "no $python: run scripts/python-env first" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is missing" >&2; exit 2; }

# shellcheck source=../lib/tools.sh
source "$here/../lib/tools.sh"
build_debug_tools "$root"

work="$(mktemp -d)"
# shellcheck source=../lib/emulator.sh
source "$here/../lib/emulator.sh"
trap 'exit 130' INT TERM
start_emulator "$bin/freshet" "$here/seed.json" "$work"
url="$emulator_url"
echo "emulator: $url (pid $emulator_pid)"

names="$(for i in $(seq 1 20); do printf 'Data Source %02d,' "$i"; done)"
names="${names%,}"

run_phase() {
  local phase="$1"
  shift
  curl -sf -X DELETE "$url/_emulator/requests" >/dev/null
  echo "phase $phase…"
  local status=0
  timeout "$phase_timeout" "$@" >"$work/$phase.jsonl" 2>"$work/$phase.err" || status=$?
  curl -sf "$url/_emulator/requests" >"$work/$phase.requests.json"
  curl -sf "$url/_emulator/jobs" >"$work/$phase.jobs.json"
  if [[ $status -ne 0 ]]; then
    echo "phase $phase exited with status $status:" >&2
    tail -5 "$work/$phase.err" >&2
  fi
}

# Waits (up to 60 s) until every job the emulator knows has completed.
wait_for_jobs() {
  for _ in $(seq 1 600); do
    curl -sf "$url/_emulator/jobs" | "$python" -c 'import json,sys; sys.exit(any(j["completedAtMs"] is None for j in json.load(sys.stdin)))' && return 0
    sleep 0.1
  done
  echo "jobs still running 60 s after the phase" >&2
}

run_phase freshet-200 "$bin/freshet-bench" refresh --emulator "$url" --pat-name bench-admin --pat-secret bench-admin-pat-secret \
  --requests "$requests" --datasources "$names"
wait_for_jobs
run_phase tsc-20 "$python" "$here/tsc_bench.py" --emulator "$url" --pat-name 'bench-admin-{n}' --pat-secret 'bench-admin-{n}-pat-secret' \
  --datasources "$names"

{
  echo "Run $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -sm), $(nproc) cores; emulator and freshet-bench built in $(basename "$bin") mode;"
  echo "$("$python" -c 'import importlib.metadata as m; print("tableauserverclient", m.version("tableauserverclient"))'), $(swift --version 2>/dev/null | head -1)."
  # The binaries are built from the working tree: name the commit and any uncommitted source changes.
  changed="$(cd "$root" && git status --porcelain -- Sources Package.swift 2>/dev/null | wc -l | tr -d ' ')"
  echo "Sources at commit $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?')$([[ "$changed" != 0 ]] && echo " plus $changed uncommitted changed or new files under Sources/ and Package.swift")."
} >"$work/meta.txt"

raw="$root/bench/results/refresh-$(date -u +%Y-%m-%d)"
mkdir -p "$raw" && cp "$work"/*.jsonl "$work"/*.json "$work"/*.err "$work/meta.txt" "$raw/"
status=0
"$python" "$here/report.py" "$work" "$root/bench/results/refresh-$(date -u +%Y-%m-%d).md" || status=$?
echo "written to bench/results/refresh-$(date -u +%Y-%m-%d).md (raw phase data in bench/results/refresh-$(date -u +%Y-%m-%d)/)"
exit "$status"
