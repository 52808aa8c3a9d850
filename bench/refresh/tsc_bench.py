#!/usr/bin/env python3
"""Refresh data sources the way the Airflow Tableau provider does: one OS process per data source.

Each task is its own Python process (as each Airflow task instance is), started at once: it
imports tableauserverclient, signs in with a PAT (`use_server_version=True`), looks its data
source up by name (one `name:eq:` list call), calls `server.datasources.refresh(item)`, then
`server.jobs.wait_for_job(job)`, and signs out. The per-task part is bench/client/tsc_bench.py's
`resolve` and `refresh_and_wait`, loaded from that file.

PATs: `--pat-name` / `--pat-secret` may hold `{n}`, replaced by the task's number (01, 02, …),
so that each task signs in with its own PAT. Without `{n}` every task uses the same PAT; a
sign-in with a PAT ends that PAT's previous session (on Tableau, and in the emulator), so
concurrent tasks would then knock each other out.

Output: one JSON object per line. {"event":"job",...} per task with datasource, patName, jobId,
spawnedAt, refreshedAt, returnedAt and exitedAt (epoch milliseconds), outcome and exitCode; then
one {"event":"summary",...} line.

Usage: tsc_bench.py --emulator URL --pat-name N --pat-secret S --datasources A,B,...
"""
import argparse
import importlib.metadata
import importlib.util
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def now_ms() -> int:
    return int(time.time() * 1000)


def load_client_bench():
    """bench/client/tsc_bench.py as a module (its name clashes with this file's)."""
    spec = importlib.util.spec_from_file_location("client_tsc_bench", HERE.parent / "client" / "tsc_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def worker(args: argparse.Namespace) -> int:
    """One task: sign in, look up, refresh, wait, sign out. Prints the job record."""
    import tableauserverclient as TSC

    client_bench = load_client_bench()
    server = TSC.Server(args.emulator, use_server_version=True)
    auth = TSC.PersonalAccessTokenAuth(args.pat_name, args.pat_secret, site_id=args.site)
    lock = threading.Lock()
    results: list[dict] = []
    try:
        with server.auth.sign_in(auth):
            signed_in = now_ms()
            item = client_bench.resolve(server, [args.worker], None)[0]
            client_bench.refresh_and_wait(server, item, args.timeout, results, lock)
    except Exception as error:  # noqa: BLE001 - reported, not hidden
        if not results:
            client_bench.emit({"event": "job", "datasource": args.worker, "outcome": "error", "returnedAt": now_ms(),
                               "error": f"{type(error).__name__}: {error}"}, lock)
            return 1
        # Sign-out failed after the wait returned: the record stands, the error is noted.
        print(json.dumps({"event": "signOutError", "error": f"{type(error).__name__}: {error}"}), flush=True)
    else:
        print(json.dumps({"event": "signedIn", "signedInAt": signed_in}), flush=True)
    return 0 if results and results[0]["outcome"] == "succeeded" else 1


def run_task(number: int, name: str, args: argparse.Namespace, records: list, lock: threading.Lock) -> None:
    pat_name = args.pat_name.replace("{n}", f"{number:02d}")
    pat_secret = args.pat_secret.replace("{n}", f"{number:02d}")
    spawned = now_ms()
    process = subprocess.run(
        [sys.executable, __file__, "--worker", name, "--emulator", args.emulator, "--site", args.site,
         "--pat-name", pat_name, "--pat-secret", pat_secret, "--timeout", str(args.timeout)],
        capture_output=True, text=True,
    )
    record = {"event": "job", "datasource": name, "outcome": "error"}
    extra = {}
    for line in process.stdout.splitlines():
        if line.strip().startswith("{"):
            value = json.loads(line)
            if value.get("event") == "job":
                record = value
            else:
                extra.update({k: v for k, v in value.items() if k != "event"})
    record.update(extra)
    record.update({"patName": pat_name, "spawnedAt": spawned, "exitedAt": now_ms(), "exitCode": process.returncode})
    if process.returncode != 0 and "error" not in record:
        record["error"] = (process.stderr.strip().splitlines() or ["(no output)"])[-1]
    with lock:
        records.append(record)
        print(json.dumps(record, sort_keys=True), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--site", default="")
    parser.add_argument("--pat-name", required=True, help="PAT name; {n} becomes the task number 01, 02, …")
    parser.add_argument("--pat-secret", required=True, help="PAT secret; {n} as in --pat-name")
    parser.add_argument("--datasources", help="comma-separated data source names, one task each")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        return worker(args)
    if not args.datasources:
        parser.error("--datasources is required")

    names = [n.strip() for n in args.datasources.split(",") if n.strip()]
    started = now_ms()
    lock = threading.Lock()
    records: list[dict] = []
    # A thread per task only to start and collect its process; the work happens in the processes.
    threads = [threading.Thread(target=run_task, args=(i + 1, name, args, records, lock)) for i, name in enumerate(names)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    succeeded = sum(1 for r in records if r.get("outcome") == "succeeded")
    pats = sorted({r["patName"] for r in records})
    print(json.dumps({
        "event": "summary", "client": "tableauserverclient " + importlib.metadata.version("tableauserverclient"),
        "processes": len(records), "jobs": len(records), "succeeded": succeeded, "signIns": len(records), "pats": len(pats),
        "startedAt": started, "finishedAt": now_ms(),
        "lastReturnedAt": max((r.get("returnedAt", 0) for r in records), default=0),
    }, sort_keys=True), flush=True)
    return 0 if succeeded == len(names) else 1


if __name__ == "__main__":
    sys.exit(main())
