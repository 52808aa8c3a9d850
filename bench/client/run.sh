#!/usr/bin/env bash
# Refresh-and-wait benchmark: TableauClient (freshet-bench client) vs tableauserverclient
# (refresh + wait_for_job, one loop per job) on one emulator in one run, on 127.0.0.1 only.
#
# Phases, each on a cleared request log:
#   client-1   TableauClient, 1 data source            ("Data Source 00001")
#   tsc-1      tableauserverclient, the same one       (after its first job has finished)
#   client-50  TableauClient, 50 data sources at once  ("Data Source 00002"…"00051")
#   tsc-50     tableauserverclient, the same 50        (after their jobs have finished)
# Every refresh job takes 3 s (bench/client/seed.json). Output: a side-by-side table with the
# targets of issue 3, printed and written to bench/results/client-<date>.md.
#
# Usage: bench/client/run.sh
#   NO_BUILD=1          skip `swift build` (use the existing debug binaries)
#   PHASE_TIMEOUT=300   seconds allowed per phase; BUILD_TIMEOUT=2400 for each build
# Exit status: 0 all targets pass, 3 a target fails, other: the benchmark could not run.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="$root/.venv-tsc/bin/python"
phase_timeout="${PHASE_TIMEOUT:-300}"
build_timeout="${BUILD_TIMEOUT:-2400}"
pat_name="bench-admin"
pat_secret="bench-admin-pat-secret"

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

one="Data Source 00001"
fifty="$(for i in $(seq 2 51); do printf 'Data Source %05d,' "$i"; done)"
fifty="${fifty%,}"

run_phase() {
  local phase="$1" names="$2"
  shift 2
  curl -sf -X DELETE "$url/_emulator/requests" >/dev/null
  echo "phase $phase…"
  local status=0
  timeout "$phase_timeout" "$@" --emulator "$url" --pat-name "$pat_name" --pat-secret "$pat_secret" --datasources "$names" \
    >"$work/$phase.jsonl" 2>"$work/$phase.err" || status=$?
  curl -sf "$url/_emulator/requests" >"$work/$phase.requests.json"
  curl -sf "$url/_emulator/jobs" >"$work/$phase.jobs.json"
  if [[ $status -ne 0 ]]; then
    echo "phase $phase exited with status $status:" >&2
    tail -5 "$work/$phase.err" >&2
  fi
}

run_phase client-1 "$one" "$bin/freshet-bench" client
run_phase tsc-1 "$one" "$python" "$here/tsc_bench.py"
run_phase client-50 "$fifty" "$bin/freshet-bench" client
run_phase tsc-50 "$fifty" "$python" "$here/tsc_bench.py"

{
  echo "Run $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -sm), $(nproc) cores; emulator and tools built in $(basename "$bin") mode;"
  echo "$("$python" -c 'import importlib.metadata as m; print("tableauserverclient", m.version("tableauserverclient"))'), $(swift --version 2>/dev/null | head -1)."
} >"$work/meta.txt"

status=0
"$python" "$here/report.py" "$work" "$root/bench/results/client-$(date -u +%Y-%m-%d).md" || status=$?
echo "written to bench/results/client-$(date -u +%Y-%m-%d).md"
exit "$status"
