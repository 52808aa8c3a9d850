#!/usr/bin/env python3
"""Refresh data sources with tableauserverclient and wait on each with its own loop.

This is how pipelines drive Tableau today (the Airflow provider's TableauOperator with
blocking_refresh): `server.datasources.refresh(item)` then `server.jobs.wait_for_job(job)`,
one loop per job. Here one PAT sign-in is shared by one thread per data source.

Output matches `freshet-bench client`: one JSON object per line, {"event":"job",...} with
jobId, datasource, refreshedAt and returnedAt (epoch milliseconds) and outcome, then one
{"event":"summary",...} line.

Usage: tsc_bench.py --emulator URL --pat-name N --pat-secret S (--datasources A,B,... | --prefix P)
"""
import argparse
import importlib.metadata
import json
import sys
import threading
import time

import tableauserverclient as TSC
from tableauserverclient.server.endpoint.exceptions import JobCancelledException, JobFailedException


def now_ms() -> int:
    return int(time.time() * 1000)


def emit(obj: dict, lock: threading.Lock) -> None:
    with lock:
        print(json.dumps(obj, sort_keys=True), flush=True)


def resolve(server: TSC.Server, names: list[str] | None, prefix: str | None) -> list[TSC.DatasourceItem]:
    options = TSC.RequestOptions(pagesize=1000)
    # Same calls as `freshet-bench client`: a name filter for one name, else one unfiltered page.
    if names and len(names) == 1:
        options.filter.add(TSC.Filter(TSC.RequestOptions.Field.Name, TSC.RequestOptions.Operator.Equals, names[0]))
    items = list(TSC.Pager(server.datasources, options))
    if prefix is not None:
        found = sorted((i for i in items if i.name.startswith(prefix)), key=lambda i: i.name)
        if not found:
            sys.exit(f'no data source name starts with "{prefix}"')
        return found
    by_name = {i.name: i for i in items}
    missing = [n for n in names if n not in by_name]
    if missing:
        sys.exit("no data source named " + ", ".join(missing))
    return [by_name[n] for n in names]


def refresh_and_wait(server: TSC.Server, item: TSC.DatasourceItem, timeout: float, results: list, lock: threading.Lock) -> None:
    record = {"event": "job", "datasource": item.name, "outcome": "error"}
    try:
        job = server.datasources.refresh(item)
        record["jobId"] = job.id
        record["refreshedAt"] = now_ms()
        try:
            server.jobs.wait_for_job(job, timeout=timeout)
            record["outcome"] = "succeeded"
        except JobFailedException:
            record["outcome"] = "failed"
        except JobCancelledException:
            record["outcome"] = "cancelled"
        except TimeoutError:
            record["outcome"] = "timedOut"
        record["returnedAt"] = now_ms()
    except Exception as error:  # noqa: BLE001 - reported, not hidden
        record["returnedAt"] = now_ms()
        record["error"] = f"{type(error).__name__}: {error}"
    with lock:
        results.append(record)
    emit(record, lock)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--site", default="")
    parser.add_argument("--pat-name", required=True)
    parser.add_argument("--pat-secret", required=True)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--datasources", help="comma-separated data source names")
    group.add_argument("--prefix", help="every data source whose name starts with this")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()

    started = now_ms()
    server = TSC.Server(args.emulator, use_server_version=True)
    auth = TSC.PersonalAccessTokenAuth(args.pat_name, args.pat_secret, site_id=args.site)
    lock = threading.Lock()
    results: list[dict] = []
    with server.auth.sign_in(auth):
        names = [n.strip() for n in args.datasources.split(",") if n.strip()] if args.datasources else None
        items = resolve(server, names, args.prefix)
        threads = [
            threading.Thread(target=refresh_and_wait, args=(server, item, args.timeout, results, lock), daemon=True)
            for item in items
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    succeeded = sum(1 for r in results if r["outcome"] == "succeeded")
    emit({"event": "summary", "client": "tableauserverclient " + importlib.metadata.version("tableauserverclient"), "jobs": len(results),
          "succeeded": succeeded, "signIns": 1, "startedAt": started, "finishedAt": now_ms()}, lock)
    return 0 if succeeded == len(items) else 1


if __name__ == "__main__":
    sys.exit(main())
