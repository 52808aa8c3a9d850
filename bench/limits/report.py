#!/usr/bin/env python3
"""Turns limits_bench.py's JSON lines into a Markdown report: usage report.py RESULTS.jsonl HEADER.md"""
import json
import sys

PHASES = [("freshet-webhooks", "Freshet, webhooks"), ("freshet-polling", "Freshet, polling"),
          ("tsc", "tableauserverclient wait_for_job"), ("airflow", "Airflow provider (defaults)")]


def main() -> None:
    records = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
    header = open(sys.argv[2]).read() if len(sys.argv) > 2 else ""
    scenarios = {(r["phase"], r["scenario"]): r for r in records if r.get("event") == "scenario"}
    deliveries = next((r for r in records if r.get("event") == "deliveries"), None)
    print(header.rstrip() + "\n")
    for scenario, title in [("lone", "1 data source awaited alone (3 s jobs, runs one after another)"),
                            ("fifty", "50 data sources at once (3 s jobs, one caller each)")]:
        phases = [(key, name) for key, name in PHASES if (key, scenario) in scenarios]
        print(f"### {title}\n")
        print("| | " + " | ".join(name for _, name in phases) + " |")
        print("|---|" + "---:|" * len(phases))
        rows = [("jobs (outcomes)", lambda r: f"{r['jobs']} ({', '.join(f'{k} {v}' for k, v in r['outcomes'].items())})"),
                ("**polling calls per job**", lambda r: f"**{r['pollingCallsPerJob']}**"),
                ("polling calls / all Tableau calls / sign-ins", lambda r: f"{r['pollingCalls']} / {r['tableauCalls']} / {r['signIns']}"),
                ("**job completed → caller answered: median**", lambda r: f"**{r['delayMedian']} s**"),
                ("p99 / max", lambda r: f"{r['delayP99']} s / {r['delayMax']} s"),
                ("wall time", lambda r: f"{r['wallSeconds']} s")]
        for label, cell in rows:
            print(f"| {label} | " + " | ".join(cell(scenarios[(key, scenario)]) for key, _ in phases) + " |")
        print()
    cold = [(key, scenarios[(key, s)]) for key in ("freshet-webhooks", "freshet-polling") for s in ("lone-cold", "fifty-cold") if (key, s) in scenarios]
    if cold:
        print("First refresh of each item (no duration known yet; not in the tables above):\n")
        print("| phase | scenario | polling calls per job | median delay | p99 |\n|---|---|---:|---:|---:|")
        for key, r in cold:
            print(f"| {key} | {r['scenario']} | {r['pollingCallsPerJob']} | {r['delayMedian']} s | {r['delayP99']} s |")
        print()
    if deliveries:
        print(f"Webhook deliveries the emulator made during the webhooks phase: {deliveries['count']} ({deliveries['ok']} answered 200).\n")
    goals = []
    wh = scenarios.get(("freshet-webhooks", "lone")), scenarios.get(("freshet-webhooks", "fifty"))
    if all(wh):
        per_job = max(r["pollingCallsPerJob"] for r in wh)
        goals.append(("with webhooks: ≤ 1 polling call per job", f"{per_job}", per_job <= 1))
        median = max(r["delayMedian"] for r in wh)
        goals.append(("with webhooks: median delay ≤ 0.2 s", f"{median} s", median <= 0.2))
    lone_polling, lone_airflow = scenarios.get(("freshet-polling", "lone")), scenarios.get(("airflow", "lone"))
    if lone_polling and lone_airflow:
        goals.append(("without webhooks: a lone job costs no more polls than the Airflow provider",
                      f"{lone_polling['pollingCallsPerJob']} vs {lone_airflow['pollingCallsPerJob']}",
                      lone_polling["pollingCallsPerJob"] <= lone_airflow["pollingCallsPerJob"]))
    if goals:
        print("| goal (issue 16) | measured | result |\n|---|---|---|")
        for goal, measured, passed in goals:
            print(f"| {goal} | {measured} | {'PASS' if passed else 'NOT MET'} |")


if __name__ == "__main__":
    main()
