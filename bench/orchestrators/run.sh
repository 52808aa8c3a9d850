#!/usr/bin/env bash
# Orchestrator benchmark (issue 18): the same 20 data source refreshes (3 s jobs, bench/orchestrators/seed.json)
# from Airflow 3, through Freshet's deferrable FreshetRefreshOperator and through the Airflow Tableau
# provider's blocking TableauOperator with its defaults, on one emulator in one run, 127.0.0.1 only.
#
# Each phase is one `airflow dags test` (SQLite, triggers run in line, tasks one after another) of a
# DAG in bench/orchestrators/dags/bench_dags.py, on a cleared emulator request log. Measured per refresh:
# worker-slot seconds (time inside execute / execute_complete: a deferred task holds no slot while its
# trigger waits), Tableau calls and sign-ins (the emulator's request log), and the delay from the
# Tableau job's completion to the task's success.
#
# Needs: the freshet binary ($FRESHET_BIN, else .build/debug/freshet), .venv-airflow with the provider
# (scripts/python-env) and, for the second phase, apache-airflow-providers-tableau in .venv-airflow
# (`.venv-airflow/bin/pip install -c scripts/constraints/airflow.txt apache-airflow-providers-tableau`).
# Output: bench/results/orchestrators-<date>.md (and the raw data in bench/results/orchestrators-<date>/).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
freshet="${FRESHET_BIN:-$root/.build/debug/freshet}"
airflow="$root/.venv-airflow/bin/airflow"
python="$root/.venv-airflow/bin/python"
[[ -x "$freshet" ]] || { echo "no $freshet: swift build --product freshet (or set FRESHET_BIN)" >&2; exit 2; }
[[ -x "$airflow" ]] || { echo "no $airflow: run scripts/python-env first" >&2; exit 2; }

work="$(mktemp -d)"
# shellcheck source=../lib/emulator.sh
source "$here/../lib/emulator.sh"
serve_pid=""
cleanup() {
  [[ -n "$serve_pid" ]] && { kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; }
  stop_emulator
}
start_emulator "$freshet" "$here/seed.json" "$work"
trap cleanup EXIT
echo "emulator: $emulator_url"

export FRESHET_DATA_DIR="$work/data" FRESHET_LOG_LEVEL=warning
FRESHET_MASTER_KEY="$(head -c 32 /dev/urandom | base64)"
export FRESHET_MASTER_KEY
echo "bench-admin-pat-secret" | "$freshet" connection add bench --server "$emulator_url" --pat-name bench-admin --pat-secret-stdin >/dev/null
token="$("$freshet" token create bench --scope refresh --scope read --allow-connection bench --allow-project '*' | sed -n 's/^  \(fsh_.*\)$/\1/p')"
[[ -n "$token" ]] || { echo "no token" >&2; exit 1; }
"$freshet" serve --port 0 >"$work/serve.out" 2>"$work/serve.err" &
serve_pid=$!
api=""
for _ in $(seq 1 600); do
  api="$(sed -n 's|^Freshet listening on \(http://[^ ]*\)$|\1|p' "$work/serve.out" | head -1)"
  [[ -n "$api" ]] && break
  kill -0 "$serve_pid" 2>/dev/null || { echo "freshet serve exited: $(cat "$work/serve.err")" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$api" ]] || { echo "freshet serve did not start" >&2; exit 1; }
echo "freshet: $api"

export AIRFLOW_HOME="$work/airflow" AIRFLOW__CORE__LOAD_EXAMPLES=False AIRFLOW__CORE__DAGS_FOLDER="$here/dags"
AIRFLOW_CONN_FRESHET_DEFAULT="$("$python" -c 'import json,sys; print(json.dumps({"conn_type": "freshet", "host": sys.argv[1], "password": sys.argv[2]}))' "$api" "$token")"
AIRFLOW_CONN_TABLEAU_BENCH="$("$python" -c 'import json,sys; print(json.dumps({"conn_type": "tableau", "host": sys.argv[1], "login": "admin@example.com", "password": "bench-password", "extra": {"site_id": ""}}))' "$emulator_url")"
export AIRFLOW_CONN_FRESHET_DEFAULT AIRFLOW_CONN_TABLEAU_BENCH
"$airflow" db migrate >"$work/migrate.log" 2>&1

wait_for_jobs() {
  for _ in $(seq 1 600); do
    curl -sf "$emulator_url/_emulator/jobs" | "$python" -c 'import json,sys; sys.exit(any(j["completedAtMs"] is None for j in json.load(sys.stdin)))' && return 0
    sleep 0.1
  done
}

phase() {
  local name="$1" dag="$2" start status=0
  curl -sf -X DELETE "$emulator_url/_emulator/requests" >/dev/null
  echo "phase $name ($dag)…"
  start=$(date +%s)
  BENCH_OUT="$work/$name.jsonl" timeout 1200 "$airflow" dags test "$dag" >"$work/$name.log" 2>&1 || status=$?
  echo "phase $name: exit $status in $(( $(date +%s) - start )) s"
  wait_for_jobs
  curl -sf "$emulator_url/_emulator/requests" >"$work/$name.requests.json"
  curl -sf "$emulator_url/_emulator/jobs" >"$work/$name.jobs.json"
}

phase freshet bench_freshet
if "$python" -c 'import airflow.providers.tableau' 2>/dev/null; then
  phase tableau bench_tableau
else
  echo "apache-airflow-providers-tableau is not installed: the TableauOperator phase is skipped" >&2
fi

day="$(date -u +%Y-%m-%d)"
mkdir -p "$root/bench/results/orchestrators-$day"
cp "$work"/*.jsonl "$work"/*.requests.json "$work"/*.jobs.json "$root/bench/results/orchestrators-$day/" 2>/dev/null || true
"$python" "$here/report.py" "$work" | tee "$root/bench/results/orchestrators-$day.md"
