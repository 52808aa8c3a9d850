#!/usr/bin/env python3
"""Turns the two phases of bench/refresh/run.sh into a side-by-side table with targets.

Usage: report.py WORKDIR OUT.md
WORKDIR holds, per phase P in freshet-200, tsc-20: P.jsonl (the tool's output), P.requests.json
(GET /_emulator/requests after the phase) and P.jobs.json (GET /_emulator/jobs after the phase).
A phase's jobs are the ones that appeared during it (the emulator lists every job of the run).
"""
import importlib.util
import json
import statistics
import sys
from pathlib import Path

FRESHET, TSC = "freshet-200", "tsc-20"


def load_client_report():
    """bench/client/report.py, for its request classification."""
    spec = importlib.util.spec_from_file_location("client_report", Path(__file__).resolve().parent.parent / "client" / "report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


classify = load_client_report().classify


def read_lines(path: Path) -> list[dict]:
    return [json.loads(l) for l in path.read_text().splitlines() if l.strip().startswith("{")] if path.exists() else []


def analyse(work: Path, phase: str, jobs: dict, phase_job_ids: set) -> dict:
    lines = read_lines(work / f"{phase}.jsonl")
    records = [l for l in lines if l.get("event") in ("request", "job")]
    summary = next((l for l in lines if l.get("event") == "summary"), {})
    requests = [r for r in json.loads((work / f"{phase}.requests.json").read_text()) if classify(r) != "admin"]
    counts: dict[str, int] = {}
    for r in requests:
        counts[classify(r)] = counts.get(classify(r), 0) + 1
    errors: dict[int, int] = {}
    for r in requests:
        if r["status"] >= 400:
            errors[r["status"]] = errors.get(r["status"], 0) + 1
    succeeded = [r for r in records if r.get("state", r.get("outcome")) == "succeeded"]
    delays, problems = [], []
    for rec in records:
        job = jobs.get(rec.get("jobId", ""))
        if rec not in succeeded or not job or job.get("completedAtMs") is None:
            label = rec.get("datasource", "?") + (f' (request {rec["index"]})' if "index" in rec else "")
            problems.append(f'{label}: {rec.get("state", rec.get("outcome"))} {rec.get("error", "")}'.strip())
            continue
        delays.append((rec["returnedAt"] - job["completedAtMs"]) / 1000)
    completions = [jobs[j]["completedAtMs"] for j in phase_job_ids if jobs[j].get("completedAtMs") is not None]
    last_return = max((r.get("returnedAt", 0) for r in records), default=None)
    runs_by_source: dict[str, set] = {}
    for rec in records:
        if rec.get("runId"):
            runs_by_source.setdefault(rec["datasource"], set()).add(rec["runId"])
    return {
        "client": summary.get("client", phase),
        "summary": summary,
        "records": len(records),
        "succeeded": len(succeeded),
        "runs": len({r["runId"] for r in records if r.get("runId")}),
        "runsPerSource": max((len(v) for v in runs_by_source.values()), default=0),
        "dispositions": summary.get("dispositions", {}),
        "jobs": len(phase_job_ids),
        "unfinishedJobs": len(phase_job_ids) - len(completions),
        "total": len(requests),
        "api": sum(1 for r in requests if r["path"].startswith("/api")),
        "counts": counts,
        "errors": errors,
        "lastCompletion": max(completions) if completions else None,
        "lastReturn": last_return,
        "tail": (last_return - max(completions)) / 1000 if completions and last_return else None,
        "median": statistics.median(delays) if delays else None,
        "max": max(delays) if delays else None,
        "wall": (summary["finishedAt"] - summary["startedAt"]) / 1000 if summary.get("startedAt") else None,
        "problems": problems,
    }


def seconds(value) -> str:
    return "n/a" if value is None else f"{value:.3f} s"


def main() -> int:
    work, out = Path(sys.argv[1]), Path(sys.argv[2])
    first = json.loads((work / f"{FRESHET}.jobs.json").read_text())
    last = json.loads((work / f"{TSC}.jobs.json").read_text())
    jobs = {j["id"]: j for j in first} | {j["id"]: j for j in last}  # later snapshot wins
    freshet_ids = {j["id"] for j in first}
    f = analyse(work, FRESHET, jobs, freshet_ids)
    t = analyse(work, TSC, jobs, {j["id"] for j in last} - freshet_ids)
    fs, ts = f["summary"], t["summary"]
    wanted_requests, wanted_sources = fs.get("requests", 200), fs.get("datasources", 20)

    lines = ["# Refresh runs: Freshet's refresh engine vs tableauserverclient one process per task", ""]
    meta = (work / "meta.txt").read_text().strip() if (work / "meta.txt").exists() else ""
    if meta:
        lines += [meta, ""]
    lines += [
        f"{wanted_requests} concurrent refresh requests spread round-robin over {wanted_sources} data sources whose jobs take 3 s "
        f"(Freshet: one `freshet-bench refresh` process, {fs.get('maxTableauJobsPerConnection', '?')} Tableau jobs at once per connection), "
        f"then the same {wanted_sources} refreshes done as Airflow's Tableau provider does them: one process per task, each signing in with "
        f"its own PAT ({t['summary'].get('pats', '?')} PATs: a sign-in with a PAT ends that PAT's previous session), looking its data source "
        "up by name, `refresh` + `wait_for_job`.",
        "",
        f"| | Freshet (freshet-bench refresh, {wanted_requests} requests) | {t['client']} ({t['records']} processes) |",
        "|---|---:|---:|",
    ]
    rows = [
        ("requests / tasks ended succeeded", f"{f['succeeded']}/{f['records']}", f"{t['succeeded']}/{t['records']}"),
        ("runs (distinct run ids) / Tableau jobs created", f"{f['runs']} / {f['jobs']}", f"– / {t['jobs']}"),
        ("requests that joined an active run", f['dispositions'].get("joinedActive", 0), "–"),
        ("**Tableau refresh calls (POST …/refresh)**", f"**{f['counts'].get('refresh', 0)}**", f"**{t['counts'].get('refresh', 0)}**"),
        ("**total Tableau calls (/api…)**", f"**{f['api']}**", f"**{t['api']}**"),
        ("polling calls (GET jobs, GET jobs/{id})", f["counts"].get("polling", 0), t["counts"].get("polling", 0)),
        ("sign-ins / serverinfo / lookup / sign-out / other",
         "/".join(str(f["counts"].get(k, 0)) for k in ("signin", "serverinfo", "lookup", "signout", "other")),
         "/".join(str(t["counts"].get(k, 0)) for k in ("signin", "serverinfo", "lookup", "signout", "other"))),
        ("HTTP errors (≥ 400)", fmt_errors(f["errors"]), fmt_errors(t["errors"])),
        ("**last job completed → all runs finished**", f"**{seconds(f['tail'])}**", f"**{seconds(t['tail'])}**"),
        ("per request: median delay, its job completed → its wait returned", seconds(f["median"]), seconds(t["median"])),
        ("per request: max delay", seconds(f["max"]), seconds(t["max"])),
        ("wall time of the phase (tool start → end)", seconds(f["wall"]), seconds(t["wall"])),
    ]
    lines += [f"| {a} | {b} | {d} |" for a, b, d in rows]
    for phase, result in ((FRESHET, f), (TSC, t)):
        for problem in result["problems"][:20]:
            lines.append(f"\n- {phase} problem: {problem}")
        if len(result["problems"]) > 20:
            lines.append(f"\n- {phase}: {len(result['problems']) - 20} more problems")
        if result["unfinishedJobs"]:
            lines.append(f"\n- {phase}: {result['unfinishedJobs']} Tableau jobs had not completed when the phase ended")
    lines.append("")

    targets = [
        (f"Freshet: exactly {wanted_sources} Tableau refresh calls for {wanted_requests} requests",
         f["counts"].get("refresh", 0) == wanted_sources, str(f["counts"].get("refresh", 0))),
        (f"Freshet: every request ended succeeded, one run per data source",
         f["succeeded"] == f["records"] == wanted_requests and f["runs"] == wanted_sources and f["runsPerSource"] == 1,
         f"{f['succeeded']}/{wanted_requests} succeeded on {f['runs']} runs"),
    ]
    lines += ["## Targets", "", "| target | measured | result |", "|---|---|---|"]
    lines += [f"| {name} | {value} | {'PASS' if ok else 'FAIL'} |" for name, ok, value in targets]
    lines += [
        "",
        "\"Last job completed → all runs finished\" is the latest `returnedAt` of the phase (Freshet: when a request's",
        "`wait(for:limit:)` returned; tableauserverclient: when a task's `wait_for_job` returned, before its sign-out and",
        "process exit) minus the latest `completedAtMs` of the phase's jobs in `GET /_emulator/jobs`; per-request delays use",
        "each request's own job. Both are epoch ms on this machine. Calls are the emulator's request log for the phase,",
        "admin calls excluded; the Freshet phase includes its one sign-in and its name lookups (requests for the same",
        "target within 5 s share one resolution, including one still in flight).",
        "",
    ]
    text = "\n".join(lines)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(text)
    return 0 if all(ok for _, ok, _ in targets) else 3


def fmt_errors(errors: dict) -> str:
    return str(sum(errors.values())) + ("" if not errors else " (" + ", ".join(f"{n}× {s}" for s, n in sorted(errors.items())) + ")")


if __name__ == "__main__":
    sys.exit(main())
