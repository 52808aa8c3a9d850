#!/usr/bin/env python3
"""Turns hardening_bench.py's JSON lines into Markdown: report.py RESULTS.jsonl HEADER.md"""
import json
import statistics
import sys
from pathlib import Path

records = [json.loads(line) for line in Path(sys.argv[1]).read_text().splitlines() if line.startswith("{")]
print(Path(sys.argv[2]).read_text().rstrip() + "\n")
start = next(r for r in records if r["event"] == "start")
labels = list(start["binaries"])
print(f"Load average at the start: {start['load']}; {start['cores']} cores. GET run answer: "
      + ", ".join(f"{label} {size} bytes" for label, size in start["runBytes"].items()) + f"; the bare route's answer: {start['bareBytes']} bytes.\n")


def verdict(value, goal, at_least=True):
    if value is None:
        return "—"
    return "met" if (value >= goal if at_least else value <= goal) else "NOT met"


rounds = [r for r in records if r["event"] == "throughput"]
if rounds:
    print("## Throughput against a bare Hummingbird route (wrk -t2 -c32, requests/s)\n")
    print("| round | load | bare `GET /run` | " + " | ".join(f"{l}: GET run (ratio) | {l}: POST repeated key (ratio)" for l in labels) + " |")
    print("| ---: | --- | ---: | " + " | ".join("---: | ---:" for _ in labels) + " |")
    for r in rounds:
        cells = []
        for label in labels:
            m = r[label]
            cells.append(f"{m['get']['rps']:.0f} ({m['getRatio']:.2f}), p99 {m['get']['p99Ms']} ms, {m['get']['errors']} errors")
            cells.append(f"{m['post']['rps']:.0f} ({m['postRatio']:.2f}), p99 {m['post']['p99Ms']} ms, {m['post']['errors']} errors")
        print(f"| {r['round']} | {r['load']} | {r['bare']['rps']:.0f}, p99 {r['bare']['p99Ms']} ms | " + " | ".join(cells) + " |")
    print()
    print("| build | GET run / bare (median of rounds) | goal ≥ 0.50 | POST repeated key / bare | goal ≥ 0.25 |")
    print("| --- | ---: | --- | ---: | --- |")
    for label in labels:
        get = statistics.median(r[label]["getRatio"] for r in rounds)
        post = statistics.median(r[label]["postRatio"] for r in rounds)
        print(f"| {label} | {get:.2f} | {verdict(get, 0.5)} | {post:.2f} | {verdict(post, 0.25)} |")
    print()

slow = [r for r in records if r["event"] == "slow-clients"]
if slow:
    print(f"## Authenticated GET run while {slow[0]['idle']:,} idle and {slow[0]['slow']:,} slow-header connections are held open (server at `ulimit -n 1024`)\n")
    print("| build | load | unloaded p99 (p50, requests) | loaded p99 (p50, max, requests, failed) | ratio | goal ≤ 2× | "
          "new connection to first answer: unloaded / loaded (median, max) | server during the load: established sockets (accepted + queued), accept queue, open files (peaks) | hostile: opened, closed by the server |")
    print("| --- | --- | ---: | ---: | ---: | --- | --- | --- | --- |")
    for r in slow:
        u, l = r["unloaded"], r["loaded"]
        fu, fl = r["freshUnloaded"], r["freshLoaded"]
        print(f"| {r['binary']} | {r['load']} | {u['p99Ms']} ms ({u['p50Ms']} ms, {u['requests']}) | {l['p99Ms']} ms ({l['p50Ms']} ms, {l['maxMs']} ms, {l['requests']}, {l['failed']}) "
              f"| {r['ratio']} | {verdict(r['ratio'], 2.0, at_least=False)} | {fu['medianMs']} / {fu['maxMs']} ms; {fl['medianMs']} / {fl['maxMs']} ms ({fl['failed']} of {fl['tries']} failed) "
              f"| {r['server']['accepted']}, {r['server']['acceptQueue']}, {r['server']['openFiles']} | {r['hostile'].get('opened')}, {r['hostile'].get('closedByServer')} |")
    print()
for r in records:
    if r["event"] == "end":
        print(f"- {r['binary']}: runs stored after the POST load {r['runsStored']} (1 expected); server still running: {r['serverAlive']}.")
