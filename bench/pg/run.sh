#!/usr/bin/env bash
# Issue 14 bench: Freshet on PostgreSQL — takeover after kill -9, POST /api/v1/runs throughput
# (SQLite vs PostgreSQL vs two processes on one PostgreSQL) and 10,000 waiting runs over three
# processes — on a private PostgreSQL cluster (scripts/postgres-test-cluster, loopback only,
# stopped on exit) and the Tableau emulator, one run each. Needs a release build:
#   swift build -c release --product freshet --scratch-path .build-release   (or FRESHET_BIN=…)
# and wrk. Extra options go to pg_bench.py (e.g. --phases takeover --lease-seconds 30); a change
# against a baseline binary in the throughput phase, in one run:
#   bench/pg/run.sh --label change --baseline /tmp/freshet-main --baseline-label main
# Output: bench/results/pg-<date>.jsonl and .md (bench/results is gitignored: git add -f).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
freshet="${FRESHET_BIN:-$root/.build-release/release/freshet}"
[[ -x "$freshet" ]] || { echo "no $freshet: swift build -c release --product freshet --scratch-path .build-release (or set FRESHET_BIN)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
psql="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/psql"
[[ -x "$psql" ]] || { echo "no psql: apt-get install -y postgresql" >&2; exit 2; }

eval "$("$root/scripts/postgres-test-cluster" start)"
trap '"$root/scripts/postgres-test-cluster" stop "$FRESHET_TEST_POSTGRES_DIR"' EXIT

day="$(date -u +%Y-%m-%d)"
out="$root/bench/results/${BENCH_NAME:-pg-$day}"   # BENCH_NAME: another file name (several runs a day)
mkdir -p "$root/bench/results"
build="${FRESHET_BUILD:-release}"; [[ "$freshet" == *"/debug/"* ]] && build="debug"   # FRESHET_BUILD=debug for a copied debug binary
started="$(date -u +%Y-%m-%dT%H:%MZ)"
python3 "$here/pg_bench.py" --freshet "$freshet" --postgres-url "$FRESHET_TEST_POSTGRES_URL" --psql "$psql" "$@" | tee "$out.jsonl"
{
  echo "# Freshet on PostgreSQL (issue 14): takeover, POST throughput, 10,000 waiting runs"
  echo
  echo "Run $started on $(uname -sm), $(nproc) cores shared with other people's builds (load average when each measurement ended is in its row);"
  echo "freshet $build build at commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- Sources || echo ' plus uncommitted changes');"
  echo "PostgreSQL $("$psql" --version | awk '{print $3}') (private cluster: fsync=off, synchronous_commit=off, loopback), $(wrk --version 2>&1 | head -1 | awk '{print $1, $2}'); one run each (bench/pg/run.sh)."
} >"$out.header.md"
python3 "$here/report.py" "$out.jsonl" "$out.header.md" | tee "$out.md"
rm -f "$out.header.md"
