#!/usr/bin/env python3
"""The orchestrator benchmark's table, from bench/orchestrators/run.sh's work directory.

Per phase (freshet, tableau): P.jsonl (each task's worker parts: start/end epoch seconds),
P.requests.json (the emulator's request log for the phase), P.jobs.json (the emulator's jobs).
"""

from __future__ import annotations

import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

TITLES = {"freshet": "Freshet FreshetRefreshOperator (deferrable)", "tableau": "Airflow Tableau provider TableauOperator (defaults)"}


def analyse(work: Path, phase: str) -> dict | None:
    parts_file = work / f"{phase}.jsonl"
    if not parts_file.exists():
        return None
    parts = [json.loads(line) for line in parts_file.read_text().splitlines() if line.strip()]
    slot: dict[str, float] = defaultdict(float)
    finished: dict[str, float] = {}
    source: dict[str, str] = {}
    for part in parts:
        slot[part["task"]] += part["end"] - part["start"]
        finished[part["task"]] = max(finished.get(part["task"], 0), part["end"])
        source[part["task"]] = part["datasource"]
    requests = [r for r in json.loads((work / f"{phase}.requests.json").read_text()) if not str(r.get("path", "")).startswith("/_emulator")]
    signins = [r for r in requests if "/auth/signin" in str(r.get("path", "")) and str(r.get("method", "POST")).upper() == "POST"]
    jobs = [j for j in json.loads((work / f"{phase}.jobs.json").read_text()) if j.get("completedAtMs")]
    completed: dict[str, float] = {}
    started = min(p["start"] for p in parts)
    for job in jobs:  # the phase's jobs: created after its first task started
        if job["createdAtMs"] / 1000 >= started - 1:
            completed[job["itemName"]] = job["completedAtMs"] / 1000
    delays = [finished[t] - completed[source[t]] for t in finished if source[t] in completed]
    slots = list(slot.values())
    return {
        "tasks": len(slots), "slot_mean": statistics.mean(slots), "slot_max": max(slots), "slot_total": sum(slots),
        "calls": len(requests), "signins": len(signins), "jobs": len(completed),
        "delay_mean": statistics.mean(delays) if delays else float("nan"), "delay_max": max(delays) if delays else float("nan"),
    }


def main() -> None:
    work = Path(sys.argv[1])
    rows = {phase: analyse(work, phase) for phase in TITLES}
    print("| per refresh (20 data sources, 3 s jobs, one emulator) | " + " | ".join(TITLES[p] for p in rows if rows[p]) + " |")
    print("| --- | " + " | ".join("---" for p in rows if rows[p]) + " |")
    def row(label: str, render) -> None:
        print(f"| {label} | " + " | ".join(render(r) for r in rows.values() if r) + " |")
    row("tasks / Tableau jobs", lambda r: f"{r['tasks']} / {r['jobs']}")
    row("worker-slot seconds per refresh (mean, max)", lambda r: f"{r['slot_mean']:.2f} s, {r['slot_max']:.2f} s")
    row("worker-slot seconds, all 20", lambda r: f"{r['slot_total']:.1f} s")
    row("Tableau calls (all 20)", lambda r: str(r["calls"]))
    row("Tableau sign-ins (all 20)", lambda r: str(r["signins"]))
    row("job completion → task success (mean, max)", lambda r: f"{r['delay_mean']:.2f} s, {r['delay_max']:.2f} s")
    print()
    print("Worker-slot time is the time inside the operator's execute (and execute_complete after a deferral), "
          "measured in the task; task start-up (the same for both) is not included. `airflow dags test` runs tasks "
          "one after another and triggers in line.")


if __name__ == "__main__":
    main()
