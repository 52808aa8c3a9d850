#!/usr/bin/env bash
# Issue 16 bench: Freshet with and without Tableau webhooks, tableauserverclient wait_for_job and
# the Airflow Tableau provider's defaults, side by side on one emulator, 127.0.0.1 only, one run.
# Needs a release build (swift build -c release --product freshet, or $FRESHET_BIN) and .venv-airflow
# (scripts/python-env) with apache-airflow-providers-tableau (it brings tableauserverclient).
# Output: bench/results/limits-<date>.md and .jsonl (bench/results is gitignored: git add -f).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
freshet="${FRESHET_BIN:-$root/.build/release/freshet}"
python="$root/.venv-airflow/bin/python"
[[ -x "$freshet" ]] || { echo "no $freshet: swift build -c release --product freshet (or set FRESHET_BIN)" >&2; exit 2; }
[[ -x "$python" ]] || { echo "no $python: run scripts/python-env first" >&2; exit 2; }
day="$(date -u +%Y-%m-%d)"
out="$root/bench/results/limits-$day"
mkdir -p "$root/bench/results"
build="release"; [[ "$freshet" == *"/debug/"* ]] && build="debug"
"$python" "$here/limits_bench.py" --freshet "$freshet" "$@" | tee "$out.jsonl"
{
  echo "# Waiting at the limit (issue 16): Freshet with and without webhooks vs tableauserverclient and the Airflow provider"
  echo
  echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(uname -sm), $(nproc) cores (load $(cut -d' ' -f1-3 /proc/loadavg)); freshet $build build at commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- Sources || echo ' plus uncommitted changes'); $("$python" -c 'import importlib.metadata as m; print("tableauserverclient", m.version("tableauserverclient") + ",", "apache-airflow-providers-tableau", m.version("apache-airflow-providers-tableau"))'); one emulator, 3 s jobs, one run (bench/limits/run.sh)."
  echo
  echo "Polling calls are the GET …/jobs and GET …/jobs/{id} requests in the emulator's log for the scenario; the delay runs from the job's completion in the emulator (completedAtMs) to the caller getting its answer (Freshet: POST /api/v1/runs with waitSeconds returning; tableauserverclient: wait_for_job returning; Airflow: wait_for_state returning). Freshet runs each scenario once before it is measured, so it knows the items' refresh durations (that first, cold round is shown below the tables)."
} >"$out.header.md"
"$python" "$here/report.py" "$out.jsonl" "$out.header.md" | tee "$out.md"
rm -f "$out.header.md"
