#!/usr/bin/env python3
"""Turns the four phases of bench/client/run.sh into a side-by-side table with targets.

Usage: report.py WORKDIR OUT.md
WORKDIR holds, per phase P in client-1, tsc-1, client-50, tsc-50: P.jsonl (the tool's output),
P.requests.json (GET /_emulator/requests after the phase) and P.jobs.json (GET /_emulator/jobs).
"""
import json
import statistics
import sys
from pathlib import Path

PHASES = [("client-1", "tsc-1"), ("client-50", "tsc-50")]


def classify(request: dict) -> str:
    method, path = request["method"], request["path"].rstrip("/")
    parts = path.split("/")
    if path.startswith("/_emulator"):
        return "admin"
    if method == "POST" and path.endswith("/auth/signin"):
        return "signin"
    if method == "POST" and path.endswith("/auth/signout"):
        return "signout"
    if method == "GET" and parts[-1].lower() == "serverinfo":
        return "serverinfo"
    if method == "GET" and (parts[-1] == "jobs" or (len(parts) >= 2 and parts[-2] == "jobs")):
        return "polling"
    if method == "POST" and parts[-1] == "refresh":
        return "refresh"
    if method == "GET" and parts[-1] == "datasources":
        return "lookup"
    return "other"


def analyse(work: Path, phase: str) -> dict:
    lines = [json.loads(l) for l in (work / f"{phase}.jsonl").read_text().splitlines() if l.strip().startswith("{")]
    records = [l for l in lines if l.get("event") == "job"]
    summary = next((l for l in lines if l.get("event") == "summary"), {})
    requests = [r for r in json.loads((work / f"{phase}.requests.json").read_text()) if classify(r) != "admin"]
    jobs = {j["id"]: j for j in json.loads((work / f"{phase}.jobs.json").read_text())}
    counts: dict[str, int] = {}
    for r in requests:
        counts[classify(r)] = counts.get(classify(r), 0) + 1
    delays, problems = [], []
    for rec in records:
        job = jobs.get(rec.get("jobId", ""))
        if rec.get("outcome") != "succeeded" or not job or job.get("completedAtMs") is None:
            problems.append(f'{rec.get("datasource")}: {rec.get("outcome")} {rec.get("error", "")}'.strip())
            continue
        delays.append((rec["returnedAt"] - job["completedAtMs"]) / 1000)
    return {
        "client": summary.get("client", phase),
        "jobs": len(records),
        "succeeded": sum(1 for r in records if r.get("outcome") == "succeeded"),
        "total": len(requests),
        "polling": counts.get("polling", 0),
        "signin": counts.get("signin", 0),
        "counts": counts,
        "errors": sum(1 for r in requests if r["status"] >= 400),
        "median": statistics.median(delays) if delays else None,
        "max": max(delays) if delays else None,
        "min": min(delays) if delays else None,
        "wall": (summary["finishedAt"] - summary["startedAt"]) / 1000 if summary.get("startedAt") else None,
        "problems": problems,
    }


def seconds(value) -> str:
    return "n/a" if value is None else f"{value:.3f} s"


def main() -> int:
    work, out = Path(sys.argv[1]), Path(sys.argv[2])
    results = {p: analyse(work, p) for pair in PHASES for p in pair}
    lines = []
    meta = (work / "meta.txt").read_text().strip() if (work / "meta.txt").exists() else ""
    lines += ["# TableauClient vs tableauserverclient: refresh and wait", ""]
    if meta:
        lines += [meta, ""]
    for client_phase, tsc_phase in PHASES:
        c, t = results[client_phase], results[tsc_phase]
        n = client_phase.split("-")[1]
        lines += [f"## {n} data source{'s' if n != '1' else ''} (jobs take 3 s)", ""]
        lines += [f"| | TableauClient | {t['client']} |", "|---|---:|---:|"]
        rows = [
            ("jobs succeeded", f"{c['succeeded']}/{c['jobs']}", f"{t['succeeded']}/{t['jobs']}"),
            ("total Tableau calls", c["total"], t["total"]),
            ("polling calls (GET jobs, GET jobs/{id})", c["polling"], t["polling"]),
            ("sign-ins", c["signin"], t["signin"]),
            ("serverinfo / lookup / refresh / sign-out / other",
             "/".join(str(c["counts"].get(k, 0)) for k in ("serverinfo", "lookup", "refresh", "signout", "other")),
             "/".join(str(t["counts"].get(k, 0)) for k in ("serverinfo", "lookup", "refresh", "signout", "other"))),
            ("HTTP errors (≥ 400)", c["errors"], t["errors"]),
            ("median delay, job completed → waiter returned", seconds(c["median"]), seconds(t["median"])),
            ("max delay", seconds(c["max"]), seconds(t["max"])),
            ("min delay", seconds(c["min"]), seconds(t["min"])),
            ("wall time of the phase", seconds(c["wall"]), seconds(t["wall"])),
        ]
        lines += [f"| {a} | {b} | {d} |" for a, b, d in rows]
        for phase in (client_phase, tsc_phase):
            for problem in results[phase]["problems"]:
                lines.append(f"\n- {phase} problem: {problem}")
        lines.append("")

    c1, t1, c50, t50 = (results[p] for p in ("client-1", "tsc-1", "client-50", "tsc-50"))
    share = c50["polling"] / t50["polling"] if t50["polling"] else None
    targets = [
        ("50 concurrent jobs: polling calls ≤ 10% of TSC's",
         share is not None and share <= 0.10 and c50["succeeded"] == c50["jobs"] == 50,
         f"{c50['polling']} vs {t50['polling']} = {share * 100:.1f}%" if share is not None else "n/a"),
        ("median detection delay ≤ 1 s (1 job)", c1["median"] is not None and c1["median"] <= 1.0, seconds(c1["median"])),
        ("median detection delay ≤ 1 s (50 jobs)", c50["median"] is not None and c50["median"] <= 1.0, seconds(c50["median"])),
        ("1 job: never more calls than TSC (total)", c1["total"] <= t1["total"] and c1["succeeded"] == 1, f"{c1['total']} vs {t1['total']}"),
        ("1 job: never more polling calls than TSC", c1["polling"] <= t1["polling"], f"{c1['polling']} vs {t1['polling']}"),
    ]
    lines += ["## Targets", "", "| target | measured | result |", "|---|---|---|"]
    lines += [f"| {name} | {value} | {'PASS' if ok else 'FAIL'} |" for name, ok, value in targets]
    lines += [
        "",
        "Delays are `returnedAt` (wall clock in the benchmark process when `waitForJob` / `wait_for_job` returned) minus the",
        "job's `completedAtMs` from `GET /_emulator/jobs` (when the emulated backgrounder finished it), both epoch ms on this machine.",
        "Calls are the emulator's request log for the phase, admin calls excluded.",
        "",
    ]
    text = "\n".join(lines)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(text)
    return 0 if all(ok for _, ok, _ in targets) else 3


if __name__ == "__main__":
    sys.exit(main())
