#!/usr/bin/env bash
# Issue 17's "Measured" section: `freshet-bench freshness` against `freshet emulator`, release
# binaries. Writes bench/results/freshness-<date>.md (and .jsonl) with the machine's load.
#
#   swift build -c release                       # freshet and freshet-bench
#   bench/freshness/run.sh                       # BIN_DIR=… for another build folder
#
# Knobs: BIN_DIR (default .build/release), ROUNDS (20), ITEMS (10000), SCRAPES (20), COMMIT (the build's commit, default HEAD).
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
commit="${COMMIT:-$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- Sources bench || echo "+changes")}"
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
       f"(bench/freshness/seed.json) on 127.0.0.1. Machine: {cores} cores shared with other people's builds; load average "
       f"(1/5/15 min) {before} before, {after} after.", "",
       "## Failure → warning in Tableau, failure → alert", "",
       f"{summary['wakeup.rounds']:.0f} rounds per mode: a refresh of \"Broken\" fails at Tableau (0.2 s job); measured from the job's "
       "failure (the emulator's `completedAtMs`) to the STALE data quality warning visible through Tableau's REST API "
       "(`GET …/dataQualityWarnings/datasource/{id}`, polled every 20 ms) and to the webhook alert received by a local receiver. "
       "Between rounds a success removes the warning. The services run in the bench's process as `freshet serve` runs them: "
       "**polling** is the baseline (warnings reconciled every 1 s, outbox every 250 ms), **wake-up** is this build "
       "(both woken by the engine when a run ends, same intervals as fallback). Same run, same emulator.", "",
       "| | mode | p50 | max | goal ≤ 2 s |", "|---|---|---:|---:|---|"]
for mode in ("polling", "wakeup"):
    out.append(f"| failure → warning visible via REST | {mode} | {ms(summary[mode + '.warningMedianMs'])} | {ms(summary[mode + '.warningMaxMs'])} | {goal(summary[mode + '.warningMaxMs'])} |")
for mode in ("polling", "wakeup"):
    out.append(f"| failure → alert received | {mode} | {ms(summary[mode + '.alertMedianMs'])} | {ms(summary[mode + '.alertMaxMs'])} | {goal(summary[mode + '.alertMaxMs'])} |")
for mode in ("polling", "wakeup"):
    out.append(f"| (part of both: failure → Freshet stored the run's end) | {mode} | {ms(summary[mode + '.runEndedMedianMs'])} | {ms(summary[mode + '.runEndedMaxMs'])} | |")
out.append("")
for mode in ("polling", "wakeup"):
    seen = f"warnings seen {summary[mode + '.warningsSeen']:.0f}/{summary[mode + '.rounds']:.0f}, alerts {summary[mode + '.alertsSeen']:.0f}/{summary[mode + '.rounds']:.0f}"
    per = ", ".join(f"{r['warningMs']:.0f}/{r['alertMs']:.0f}" for r in rounds if r.get("mode") == mode)
    out.append(f"- {mode}: {seen}; per round, warning/alert ms: {per}")
out += ["", "## `/metrics` scrape", "", "| | median | p95 | size |", "|---|---:|---:|---:|"]
for s in scrapes:
    out.append(f"| {s['label']} | {s['medianMs']:.1f} ms | {s['p95Ms']:.1f} ms | {s['bytes']:,} bytes |")
out += ["", f"{scrapes[0]['scrapes'] if scrapes else 0} scrapes each over HTTP, same process and run; the 10,000 items are ended runs "
        "(one in seven failed) on a connection of their own, so every item has an age gauge and a stale flag.", ""]
open(report, "w").write("\n".join(out))
print("\n".join(out))
PY
