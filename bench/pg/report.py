#!/usr/bin/env python3
"""Turns pg_bench.py's JSON lines into the Markdown of bench/results/pg-<date>.md.
Usage: report.py RESULTS.jsonl HEADER.md"""
import json
import statistics
import sys
from pathlib import Path

records = [json.loads(line) for line in Path(sys.argv[1]).read_text().splitlines() if line.startswith("{")]
print(Path(sys.argv[2]).read_text().rstrip())


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


takeovers = [r for r in records if r["phase"] == "takeover"]
if takeovers:
    print("\n## Takeover after `kill -9` (2 × `freshet serve` on PostgreSQL, 100 waiting runs driven by the killed one)\n")
    print("| lease | runs the killed process drove | its lease left at the kill | all 100 leased by the survivor after | goal (lease + 1 s) | refresh calls (100 = none twice) | load |")
    print("| ---: | ---: | ---: | ---: | --- | ---: | --- |")
    for r in takeovers:
        print(f"| {r['leaseSeconds']} s | {r['runsOfKilled']}{'' if r['killedWasReceiver'] else ' (not the one that took the POST)'} | {r['leaseLeftAtKill']} s | {r['takeoverSeconds']} s ({r['takenOver']}/{r['runs']}) | "
              f"≤ {r['goalSeconds']} s: {verdict(r['takenOver'] == r['runs'] and r['takeoverSeconds'] <= r['goalSeconds'])} | {r['refreshCalls']} | {r['load']} |")

rows = [r for r in records if r["phase"] == "throughput"]
if rows:
    print(f"\n## POST /api/v1/runs throughput (wrk {rows[0]['wrk']}; two processes: two wrk with half the threads and connections each, summed)\n")
    print("| mix | store | build | requests/s (median) | every round | p99 (median) | non-2xx | RSS after (MB, last round) | load (1 min) per round |")
    print("| --- | --- | --- | ---: | --- | ---: | ---: | --- | --- |")
    for mix in ("repeated", "new"):
        groups: dict[tuple, list] = {}
        for r in (r for r in rows if r["mix"] == mix):
            groups.setdefault((r["setup"], r.get("build", "")), []).append(r)
        for (setup, build), group in groups.items():
            rss = ", ".join(f"{kb / 1024:.0f}" for kb in group[-1]["rssKb"])
            p99s = [r["p99ms"] for r in group if r["p99ms"] is not None]
            print(f"| {mix} | {setup} | {build} | {statistics.median(r['rps'] for r in group)} | {' / '.join(str(r['rps']) for r in group)} | "
                  f"{statistics.median(p99s) if p99s else '-'} ms | {sum(r['errors'] for r in group)} | {rss} | "
                  f"{' / '.join(r['load'].split()[0] for r in group)} |")
    print("\n`repeated`: one Idempotency-Key, the run exists (answered from the stored request). "
          "`new`: a new key and a data source by id out of 10,000 per request (a new run nearly every time, which the same process then triggers).")
    for r in records:
        if r["phase"] == "throughput-runs":
            print(f"- runs stored on {r['setup']} ({r.get('build', '')}, round {r.get('round', 1)}): {r['runs']}")

for r in (r for r in records if r["phase"] == "fanout"):
    print(f"\n## {r['runs']:,} waiting runs over {r['processes']} processes on PostgreSQL ({r['sites']} sites, one connection each, {r['jobSeconds']:.0f} s jobs)\n")
    rates = r["callsPerSecondPerSite"]
    if r.get("waitingBeforeWindow", r["runs"]) < r["runs"]:
        print(f"- **only {r['waitingBeforeWindow']:,} of {r['runs']:,} runs ever waited** (the last started waiting {r['secondsUntilAllWaiting']} s after the first POST; "
              f"none more for --stall-seconds); the others, by state and process: " + "; ".join(r["notWaitingBeforeWindow"]))
    else:
        print(f"- all {r['runs']:,} runs waiting {r['secondsUntilAllWaiting']} s after the first POST")
    print("- waiting runs per process (pid: count): " + ", ".join(row.replace("|", ": ") for row in r["runsPerProcess"]))
    print(f"- window {r['windowSeconds']} s: Tableau calls per second per site, all processes together: max {r['maxCallsPerSecondPerSite']} "
          f"(goal ≤ 2: {verdict(r['maxCallsPerSecondPerSite'] <= 2)}); per site: " + ", ".join(f"{v}" for _, v in sorted(rates.items())))
    print(f"- busiest single second of one site: {r['busiestSecondPerSite']} calls; calls by kind: {json.dumps(r['callKinds'])}")
    print(f"- RSS per process (max over the window): " + ", ".join(f"{kb / 1024:.0f} MB" for kb in r["rssKbMax"]))
    print(f"- PostgreSQL connections used (pg_stat_activity, max over the window): {r['postgresConnectionsMax']}")
    print(f"- load average (1 min) during the window: {r['loadDuringWindow']}; runs still waiting at its end: {r['stillWaiting']}")
