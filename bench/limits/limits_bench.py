#!/usr/bin/env python3
"""Issue 16 bench: waiting on Tableau jobs — Freshet with and without webhooks, tableauserverclient
`wait_for_job` and the Airflow Tableau provider's defaults, side by side on one emulator.

Scenarios, each on 3 s refresh jobs (bench seed: 50 data sources "DS 01" … "DS 50"):
  lone  — one data source refreshed and awaited alone, `--lone-runs` times one after another;
  fifty — 50 data sources refreshed at once, each awaited by its own caller.

Phases (one run each, same emulator, request log cleared before every scenario):
  freshet-polling   `freshet serve` without a public URL; callers POST /api/v1/runs with waitSeconds.
                    Each scenario runs once unmeasured first ("cold": no refresh durations known yet).
  freshet-webhooks  `freshet serve --public-url http://127.0.0.1:PORT` (the emulator delivers to loopback).
  tsc               tableauserverclient: refresh + `server.jobs.wait_for_job(job)`, one signed-in server.
  airflow           the provider's TableauHook with TableauOperator's defaults: refresh, then
                    `wait_for_state(job, SUCCESS, check_interval=20)`; one hook (sign-in) per task.

Measured per scenario: polling calls per job (GET …/jobs and GET …/jobs/{id} in the emulator's
request log), and the delay from the job's completion (emulator `completedAtMs`) to the caller
getting its answer (median, p99, max). Prints JSON lines; report.py turns them into Markdown.

Usage: limits_bench.py --freshet BIN [--lone-runs 5] [--skip-airflow]
"""
import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
from benchhttp import free_port, http, wait_for_line  # noqa: E402

PAT_NAME, PAT_SECRET = "bench-admin", "bench-admin-pat-secret"
USER, PASSWORD = "admin@example.com", "bench-password"
NAMES = [f"DS {n:02d}" for n in range(1, 51)]


def now_ms() -> int:
    return int(time.time() * 1000)


def seed() -> dict:
    return {
        "$comment": "bench/limits: 50 data sources whose refreshes take 3 s; a site administrator with a PAT and a password.",
        "server": {"maxApiVersion": "3.24", "mode": "server", "sessionMinutes": 240},
        "personalAccessTokens": [{"name": PAT_NAME, "secret": PAT_SECRET, "user": USER}],
        "sites": [{
            "name": "Default", "contentUrl": "",
            "users": [{"name": USER, "siteRole": "SiteAdministratorCreator", "password": PASSWORD}],
            "projects": [{"name": "Default"}],
            "datasources": [{"name": name, "project": "Default", "refresh": {"durationSeconds": 3}} for name in NAMES],
        }],
    }


class Emulator:
    def __init__(self, freshet: str, work: Path):
        (work / "seed.json").write_text(json.dumps(seed()))
        self.out = work / "emulator.out"
        self.process = subprocess.Popen(
            [freshet, "emulator", "--seed", str(work / "seed.json"), "--host", "127.0.0.1", "--port", "0"],
            stdout=self.out.open("w"), stderr=(work / "emulator.err").open("w"))
        self.url = wait_for_line(self.out, "Tableau emulator listening on", self.process)

    def clear(self):
        http("DELETE", self.url + "/_emulator/requests")

    def requests(self):
        return http("GET", self.url + "/_emulator/requests")[1]

    def jobs(self):
        return {job["id"]: job for job in http("GET", self.url + "/_emulator/jobs")[1]}

    def wait_jobs_done(self):
        for _ in range(1200):
            if all(job["completedAtMs"] is not None for job in self.jobs().values()):
                return
            time.sleep(0.1)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def measure(emulator: Emulator, phase: str, scenario: str, results: list, started: int, extra: dict | None = None) -> dict:
    """Joins the callers' results (jobId, returnedAt) with the emulator's jobs and request log."""
    emulator.wait_jobs_done()
    jobs = emulator.jobs()
    calls = emulator.requests()
    api = [c for c in calls if c["path"].startswith("/api/") and "/_emulator" not in c["path"]]
    polls = [c for c in api if c["method"] == "GET" and "/jobs" in c["path"]]
    delays = []
    outcomes = {}
    for result in results:
        outcomes[result["outcome"]] = outcomes.get(result["outcome"], 0) + 1
        job = jobs.get(result.get("jobId") or "")
        if job and job["completedAtMs"] is not None and result.get("returnedAt"):
            delays.append((result["returnedAt"] - job["completedAtMs"]) / 1000)
    delays.sort()
    record = {
        "event": "scenario", "phase": phase, "scenario": scenario, "jobs": len(results), "outcomes": outcomes,
        "pollingCalls": len(polls), "pollingCallsPerJob": round(len(polls) / max(1, len(results)), 3),
        "tableauCalls": len(api), "signIns": sum(1 for c in api if c["path"].endswith("/auth/signin")),
        "delayMedian": round(statistics.median(delays), 3) if delays else None,
        "delayP99": round(delays[min(len(delays) - 1, int(0.99 * len(delays)))], 3) if delays else None,
        "delayMax": round(delays[-1], 3) if delays else None,
        "wallSeconds": round((now_ms() - started) / 1000, 1),
    }
    record.update(extra or {})
    print(json.dumps(record), flush=True)
    return record


# ---------------------------------------------------------------- Freshet

class Freshet:
    def __init__(self, binary: str, emulator: Emulator, work: Path, webhooks: bool):
        self.binary, self.emulator = binary, emulator
        self.data = work / ("data-webhooks" if webhooks else "data-polling")
        self.env = dict(os.environ, FRESHET_DATA_DIR=str(self.data), FRESHET_LOG_LEVEL="warning",
                        FRESHET_MASTER_KEY=subprocess.run(["openssl", "rand", "-base64", "32"], capture_output=True, text=True).stdout.strip())
        subprocess.run([binary, "connection", "add", "bench", "--server", emulator.url, "--pat-name", PAT_NAME, "--pat-secret-stdin"],
                       input=PAT_SECRET, text=True, env=self.env, check=True, capture_output=True)
        created = subprocess.run([binary, "token", "create", "bench", "--scope", "refresh", "--scope", "read", "--allow-connection", "bench",
                                  "--allow-project", "*"], env=self.env, check=True, capture_output=True, text=True).stdout
        self.token = next(line.strip() for line in created.splitlines() if line.strip().startswith("fsh_"))
        port = free_port()
        command = [binary, "serve", "--port", str(port)]
        if webhooks:
            command += ["--public-url", f"http://127.0.0.1:{port}"]
        out = work / f"serve-{'webhooks' if webhooks else 'polling'}.out"
        self.process = subprocess.Popen(command, stdout=out.open("w"), stderr=out.with_suffix(".err").open("w"), env=self.env)
        self.api = wait_for_line(out, "Freshet listening on", self.process)
        if webhooks:
            self.wait_for_webhooks()

    def wait_for_webhooks(self):
        import tableauserverclient as TSC
        server = TSC.Server(self.emulator.url, use_server_version=True)
        with server.auth.sign_in(TSC.TableauAuth(USER, PASSWORD)):
            for _ in range(600):
                if len(server.webhooks.get()[0]) >= 4:
                    return
                time.sleep(0.1)
        raise SystemExit("freshet serve registered no webhooks")

    def refresh(self, name: str, results: list, lock: threading.Lock):
        status, body = http("POST", self.api + "/api/v1/runs", {"connection": "bench", "targets": [{"datasource": name}], "waitSeconds": 60},
                            token=self.token)
        returned = now_ms()
        run = body["runs"][0] if isinstance(body, dict) and body.get("runs") else {}
        with lock:
            results.append({"name": name, "jobId": run.get("jobId"), "returnedAt": returned, "outcome": run.get("state", f"HTTP {status}")})

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


def concurrently(names, call) -> list:
    results, lock = [], threading.Lock()
    threads = [threading.Thread(target=call, args=(name, results, lock)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def scenarios(emulator: Emulator, phase: str, call, lone_runs: int, warm: bool):
    records = []
    if warm:
        # Unmeasured before: the first refresh of each item, when no duration is known.
        emulator.clear()
        started = now_ms()
        records.append(measure(emulator, phase, "lone-cold", concurrently(NAMES[:1], call), started))
        emulator.clear()
        started = now_ms()
        records.append(measure(emulator, phase, "fifty-cold", concurrently(NAMES, call), started))
    emulator.clear()
    started = now_ms()
    lone = []
    for _ in range(lone_runs):
        lone += concurrently(NAMES[:1], call)
    records.append(measure(emulator, phase, "lone", lone, started))
    emulator.clear()
    started = now_ms()
    records.append(measure(emulator, phase, "fifty", concurrently(NAMES, call), started))
    return records


# ---------------------------------------------------------------- tableauserverclient, Airflow

def tsc_phase(emulator: Emulator, lone_runs: int):
    import tableauserverclient as TSC
    server = TSC.Server(emulator.url, use_server_version=True)
    server.auth.sign_in(TSC.PersonalAccessTokenAuth(PAT_NAME, PAT_SECRET, site_id=""))
    ids = {item.name: item.id for item in TSC.Pager(server.datasources)}

    def call(name, results, lock):
        job = server.datasources.refresh(ids[name])
        outcome = "succeeded"
        try:
            server.jobs.wait_for_job(job, timeout=120)
        except Exception as error:  # noqa: BLE001 - reported
            outcome = f"error: {error}"
        returned = now_ms()
        with lock:
            results.append({"name": name, "jobId": job.id, "returnedAt": returned, "outcome": outcome})

    return scenarios(emulator, "tsc", call, lone_runs, warm=False)


def airflow_phase(emulator: Emulator, lone_runs: int, work: Path):
    os.environ.setdefault("AIRFLOW_HOME", str(work / "airflow"))
    os.environ["AIRFLOW_CONN_TABLEAU_BENCH"] = json.dumps(
        {"conn_type": "tableau", "host": emulator.url, "login": USER, "password": PASSWORD, "extra": {"site_id": ""}})
    from airflow.providers.tableau.hooks.tableau import TableauHook, TableauJobFinishCode
    import tableauserverclient as TSC

    def call(name, results, lock):
        # TableauOperator(find=name, resource="datasources", method="refresh") with its defaults:
        # blocking_refresh=True, check_interval=20 (one hook, i.e. one sign-in, per task).
        with TableauHook(site_id="", tableau_conn_id="tableau_bench") as hook:
            options = TSC.RequestOptions()
            options.filter.add(TSC.Filter(TSC.RequestOptions.Field.Name, TSC.RequestOptions.Operator.Equals, name))
            item = hook.server.datasources.get(options)[0][0]
            job = hook.server.datasources.refresh(item.id)
            ok = hook.wait_for_state(job_id=job.id, target_state=TableauJobFinishCode.SUCCESS, check_interval=20)
            returned = now_ms()
        with lock:
            results.append({"name": name, "jobId": job.id, "returnedAt": returned, "outcome": "succeeded" if ok else "failed"})

    return scenarios(emulator, "airflow", call, lone_runs, warm=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--freshet", required=True)
    parser.add_argument("--lone-runs", type=int, default=5)
    parser.add_argument("--skip-airflow", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="limits-bench-"))
    emulator = Emulator(args.freshet, work)
    print(json.dumps({"event": "start", "emulator": emulator.url, "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}), flush=True)
    try:
        for webhooks in (False, True):
            freshet = Freshet(args.freshet, emulator, work, webhooks)
            try:
                scenarios(emulator, "freshet-webhooks" if webhooks else "freshet-polling", freshet.refresh, args.lone_runs, warm=True)
            finally:
                freshet.stop()
            if webhooks:
                deliveries = http("GET", emulator.url + "/_emulator/webhook-deliveries")[1]
                print(json.dumps({"event": "deliveries", "count": len(deliveries),
                                  "ok": sum(1 for d in deliveries if d.get("status") == 200)}), flush=True)
        tsc_phase(emulator, args.lone_runs)
        if not args.skip_airflow:
            airflow_phase(emulator, args.lone_runs, work)
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
