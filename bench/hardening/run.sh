#!/usr/bin/env bash
# Issue 19 bench: throughput of GET run and repeated-key POST /api/v1/runs as a ratio of a bare
# Hummingbird route (freshet-bare), and p99 of authenticated GET run while 1,000 idle and 1,000
# slow-header connections are held open against a server at `ulimit -n 1024` (hardening_bench.py
# says how). Release builds: `swift build -c release --build-path .build-release --product freshet`
# and `--product freshet-bare`. FRESHET_BIN (default .build-release/release/freshet) is "after";
# FRESHET_BEFORE_BIN, when set, is measured side by side as "before" (e.g. a build of the
# session's starting commit). Output: bench/results/hardening-<date>.md and .jsonl (git add -f).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
after="${FRESHET_BIN:-$root/.build-release/release/freshet}"
bare="${FRESHET_BARE_BIN:-$root/.build-release/release/freshet-bare}"
for binary in "$after" "$bare" ${FRESHET_BEFORE_BIN:+"$FRESHET_BEFORE_BIN"}; do
  [[ -x "$binary" ]] || { echo "no $binary: build it in release first (see the top of this script)" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
command -v ss >/dev/null || { echo "ss is missing: apt-get install -y iproute2" >&2; exit 2; }
binaries=()
[[ -n "${FRESHET_BEFORE_BIN:-}" ]] && binaries+=(--freshet "before=$FRESHET_BEFORE_BIN")
binaries+=(--freshet "after=$after")
day="$(date -u +%Y-%m-%d)"
out="$root/bench/results/hardening-$day"
mkdir -p "$root/bench/results"
python3 "$here/hardening_bench.py" "${binaries[@]}" --bare "$bare" "$@" | tee "$out.jsonl"
{
  echo "# Hardening (issue 19): slow clients and throughput against a bare Hummingbird route"
  echo
  echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(uname -sm), $(nproc) cores shared with other work; release builds; after = commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- Sources || echo ' plus uncommitted changes')${FRESHET_BEFORE_BIN:+, before = ${BEFORE_DESCRIPTION:-$FRESHET_BEFORE_BIN}}; one emulator; 127.0.0.1 (bench/hardening/run.sh)."
  echo
  echo "How: see the top of bench/hardening/hardening_bench.py. Ratios divide by the bare route's rate measured in the same round, just before."
} >"$out.header.md"
python3 "$here/report.py" "$out.jsonl" "$out.header.md" | tee "$out.md"
rm -f "$out.header.md"
