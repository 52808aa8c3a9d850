#!/usr/bin/env bash
# Issue 17's "Measured" section: `freshet-bench freshness` against `freshet emulator`, release
# binaries. Writes bench/results/freshness-<date>.md (and .jsonl) with the machine's load.
#
#   swift build -c release                       # freshet and freshet-bench
#   bench/freshness/run.sh                       # BIN_DIR=… for another build folder
#
# Knobs: BIN_DIR (default .build/release), ROUNDS (20), ITEMS (10000), SCRAPES (20).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${BIN_DIR:-$root/.build/release}"
for tool in freshet freshet-bench; do
  [[ -x "$bin/$tool" ]] || { echo "no $bin/$tool: swift build -c release first (or set BIN_DIR)" >&2; exit 2; }
done
source "$root/bench/lib/emulator.sh"
work="$(mktemp -d)"
start_emulator "$bin/freshet" "$root/bench/freshness/seed.json" "$work"
date="$(date -u +%Y-%m-%d)"
mkdir -p "$root/bench/results"
jsonl="$root/bench/results/freshness-$date.jsonl"
report="$root/bench/results/freshness-$date.md"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date -u +%H:%M:%S)"
"$bin/freshet-bench" freshness --emulator "$emulator_url" --pat-name bench-admin --pat-secret bench-admin-pat-secret \
  --failing Broken --rounds "${ROUNDS:-20}" --items "${ITEMS:-10000}" --scrapes "${SCRAPES:-20}" | tee "$jsonl"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
commit="$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- Sources bench || echo '+changes')"
python3 - "$jsonl" "$report" "$commit" "$(nproc)" "$load_before" "$load_after" "$started" <<'PY'
import json, sys
jsonl, report, commit, cores, before, after, started = sys.argv[1:]
lines = [json.loads(line) for line in open(jsonl) if line.startswith("{")]
summary = next(l for l in lines if l.get("event") == "summary")
rounds = [l for l in lines if l.get("event") == "failure"]
scrapes = [l for l in lines if l.get("event") == "scrape"]
def ms(value): return "n/a" if value is None or value < 0 else f"{value:,.0f} ms"
goal = lambda value: "PASS" if 0 <= value <= 2000 else "FAIL"
out = [f"# Freshness measurements (issue 17), {started} UTC", "",
       f"Build: release (`swift build -c release`), commit {commit}; `freshet-bench freshness` against `freshet emulator` "
       f"(bench/freshness/seed.json) on 127.0.0.1. Machine: {cores} cores shared with other builds; load average (1/5/15 min) "
       f"{before} before, {after} after.", "",
       "## Failure → warning in Tableau, failure → alert", "",
       f"{summary['rounds']:.0f} rounds: a refresh of \"Broken\" fails at Tableau (0.2 s job); measured from the job's failure "
       "(the emulator's `completedAtMs`) to the STALE data quality warning visible through Tableau's REST API "
       "(`GET …/dataQualityWarnings/datasource/{id}`, polled every 20 ms) and to the webhook alert received by a local receiver. "
       "Between rounds a success removes the warning. Services as `freshet serve` runs them, in the bench's process.", "",
       "| | p50 | max | goal ≤ 2 s |", "|---|---:|---:|---|",
       f"| failure → warning visible via REST | {ms(summary['warningMedianMs'])} | {ms(summary['warningMaxMs'])} | {goal(summary['warningMaxMs'])} |",
       f"| failure → alert received | {ms(summary['alertMedianMs'])} | {ms(summary['alertMaxMs'])} | {goal(summary['alertMaxMs'])} |",
       f"| (of which: failure → Freshet stored the run's end) | {ms(summary['runEndedMedianMs'])} | {ms(summary['runEndedMaxMs'])} | |", "",
       f"Warnings seen {summary['warningsSeen']:.0f}/{summary['rounds']:.0f}, alerts {summary['alertsSeen']:.0f}/{summary['rounds']:.0f}.", "",
       "Per round (ms): " + ", ".join(f"{r['round']}: warning {r['warningMs']:.0f} / alert {r['alertMs']:.0f} (run ended {r['runEndedMs']:.0f})" for r in rounds), "",
       "## `/metrics` scrape", "",
       "| | median | p95 | size |", "|---|---:|---:|---:|"]
for s in scrapes:
    out.append(f"| {s['label']} | {s['medianMs']:.1f} ms | {s['p95Ms']:.1f} ms | {s['bytes']:,} bytes |")
out += ["", f"{scrapes[0]['scrapes'] if scrapes else 0} scrapes each over HTTP, same process and run; the 10,000 items are ended runs "
        "(one in seven failed) on a connection of their own, so every item has an age gauge and a stale flag.", ""]
open(report, "w").write("\n".join(out))
print("\n".join(out))
PY
