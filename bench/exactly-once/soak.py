#!/usr/bin/env python3
"""Exactly-once soak tests and engine measurements (issue 13), against a real `freshet serve`
and the built-in Tableau emulator, on 127.0.0.1 only. Standard library only.

Phases (each on its own emulator and data directory, each bounded in time):
  crash    100 items in one request; `kill -9` of the server 5 times at random moments (the
           emulator delays every refresh call, so some kills land mid-trigger); each cut-off
           request is retried with its Idempotency-Key. Checks: 0 items lost, 0 double
           refreshes (the emulator's job list), 0 wrong outcomes; time to finish.
  fault    1,000 refreshes under 10% 5xx, 5% 429, 3% dropped connections, 20% of answers lost
           after Tableau acted, and every session revoked every 10 s. Checks: 0 false successes,
           0 false failures, 0 double refreshes; total Tableau calls.
  scale    10,000 runs of 120 s jobs, in one request and in 100 requests (site without a job
           limit): time until all 10,000 jobs exist at Tableau, Tableau calls per second while
           they wait (goal <= 2), server RSS (goal <= 256 MB), /health p99 (goal <= 50 ms).
  latency  request -> Tableau refresh call, warm session, by id and by cached name, sequential
           and 20 concurrent, and 20 concurrent with Tableau 50 ms away (the emulator's latency
           fault) (goal p99 <= one Tableau round trip + 5 ms).

Usage: bench/exactly-once/soak.py --freshet .build/release/freshet [--phase crash,fault,scale,latency]
                                  [--baseline OTHER-FRESHET]
Writes a markdown report (stdout, and --report FILE). Exit 0 when every check passed, 3 when
one failed, 2 when the benchmark could not run.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import burst

LISTEN_EMULATOR = re.compile(r"^Tableau emulator listening on (http://127\.0\.0\.1:\d+)")
LISTEN_SERVE = re.compile(r"^Freshet listening on (http://127\.0\.0\.1:\d+)")


def http(method, url, body=None, headers=None, timeout=120.0):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            return response.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, raw.decode(errors="replace")


def wait_line(process, pattern, timeout=60.0):
    deadline = time.time() + timeout
    lines = []
    while time.time() < deadline:
        line = process.stdout.readline()
        if not line:
            if process.poll() is not None:
                raise RuntimeError(f"process exited ({process.returncode}): {''.join(lines)}")
            continue
        lines.append(line)
        match = pattern.match(line.strip())
        if match:
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return match.group(1)
    raise RuntimeError(f"no ready line within {timeout} s: {''.join(lines)}")


def seed(count, seconds, path):
    names = [f"DS {i:05d}" for i in range(1, count + 1)]
    document = {
        "server": {"maxApiVersion": "3.24", "mode": "server", "sessionMinutes": 240},
        "personalAccessTokens": [{"name": "bench-admin", "secret": "bench-admin-pat-secret", "user": "admin@example.com"}],
        "sites": [{
            "name": "Default", "contentUrl": "", "maxConcurrentJobs": count + 10,
            "users": [{"name": "admin@example.com", "fullName": "Ada Admin", "siteRole": "SiteAdministratorCreator"}],
            "projects": [{"name": "Default", "description": "Bench"}],
            "datasources": [{"name": name, "project": "Default", "refresh": {"durationSeconds": seconds}} for name in names],
        }],
    }
    path.write_text(json.dumps(document))
    return names


class Stack:
    """One emulator and a `freshet serve` on a data directory of its own."""

    def __init__(self, freshet, work, items, seconds, environment=None):
        self.freshet = freshet
        self.work = Path(work)
        self.names = seed(items, seconds, self.work / "seed.json")
        self.emulator = subprocess.Popen(
            [freshet, "emulator", "--seed", str(self.work / "seed.json"), "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.emulator_url = wait_line(self.emulator, LISTEN_EMULATOR)
        self.env = dict(os.environ)
        self.env.update({
            "FRESHET_DATA_DIR": str(self.work / "data"), "FRESHET_LOG_LEVEL": "error",
            "FRESHET_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(), "FRESHET_LEASE_SECONDS": "5",
        })
        self.env.update(environment or {})
        subprocess.run(
            [freshet, "connection", "add", "bench", "--server", self.emulator_url, "--pat-name", "bench-admin", "--pat-secret-stdin"],
            input="bench-admin-pat-secret\n", env=self.env, check=True, capture_output=True, text=True)
        out = subprocess.run(
            [freshet, "token", "create", "soak", "--scope", "refresh", "--scope", "read", "--allow-connection", "bench", "--allow-project", "*"],
            env=self.env, check=True, capture_output=True, text=True).stdout
        self.token = re.search(r"(fsh_\S+)", out).group(1)
        self.serve = None
        self.api = None

    def start(self):
        self.serve = subprocess.Popen([self.freshet, "serve", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                      text=True, env=self.env)
        self.api = wait_line(self.serve, LISTEN_SERVE)

    def kill(self):
        if self.serve and self.serve.poll() is None:
            self.serve.send_signal(signal.SIGKILL)
            self.serve.wait()

    def stop(self):
        if self.serve and self.serve.poll() is None:
            self.serve.send_signal(signal.SIGTERM)
            try:
                self.serve.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.emulator.poll() is None:
            self.emulator.send_signal(signal.SIGTERM)
            self.emulator.wait(timeout=20)

    def auth(self, key=None):
        headers = {"Authorization": f"Bearer {self.token}"}
        if key:
            headers["Idempotency-Key"] = key
        return headers

    def post_runs(self, targets, key, wait=0, timeout=120.0):
        body = {"connection": "bench", "targets": targets}
        if wait:
            body["waitSeconds"] = wait
        return http("POST", f"{self.api}/api/v1/runs", body, self.auth(key), timeout=timeout)

    def emulator_get(self, path):
        return http("GET", f"{self.emulator_url}/_emulator/{path}")[1]

    def set_faults(self, faults):
        return http("PUT", f"{self.emulator_url}/_emulator/faults", faults)

    def jobs_per_item(self):
        jobs = self.emulator_get("jobs")
        jobs = jobs.get("jobs", jobs) if isinstance(jobs, dict) else jobs
        counts = {}
        for job in jobs:
            name = job.get("itemName")
            counts[name] = counts.get(name, 0) + 1
        return counts, jobs

    def wait_runs(self, ids, limit_seconds):
        """Long-polls each run until it ends; returns {id: run}."""
        deadline = time.time() + limit_seconds
        ended = {}
        pending = list(ids)
        while pending and time.time() < deadline:
            run_id = pending.pop(0)
            status, run = http("GET", f"{self.api}/api/v1/runs/{run_id}?waitSeconds=30", headers=self.auth(), timeout=45)
            if status == 200 and run.get("finished"):
                ended[run_id] = run
            else:
                pending.append(run_id)
        return ended


def rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def phase_crash(freshet, work, report):
    stack = Stack(freshet, work, 100, 2)
    checks = []
    try:
        stack.set_faults({"latencyMs": 40, "pathContains": "/refresh"})
        targets = [{"datasource": name} for name in stack.names]
        key = "crash-soak"
        started = time.time()
        kills = 0
        rng = random.Random(13)
        def post(holder):
            try:
                holder["answer"] = stack.post_runs(targets, key, timeout=60)
            except OSError as error:
                holder["answer"] = (f"cut off ({type(error).__name__})", None)

        while kills < 5:
            stack.start()
            holder = {}
            poster = threading.Thread(target=post, args=(holder,), daemon=True)
            poster.start()
            if kills % 2 == 0:
                # Mid-request: while the targets resolve and the request is stored.
                moment = rng.uniform(0.02, 1.0)
                time.sleep(moment)  # a bench, not a test: the kill must land at a random wall-clock moment
            else:
                # Mid-trigger: after the request was answered, while the refresh calls (delayed 40 ms each) go out.
                poster.join(timeout=60)
                moment = rng.uniform(0.0, 0.8)
                time.sleep(moment)
            stack.kill()
            kills += 1
            poster.join(timeout=65)
            state = holder.get("answer", (None, None))[0]
            print(f"crash soak: kill {kills} {'mid-request' if kills % 2 == 1 else 'after the answer'} +{moment:.2f} s "
                  f"(request answered: {state})", file=sys.stderr)
        stack.start()
        status, answer = stack.post_runs(targets, key, timeout=60)
        runs = answer.get("runs", []) if isinstance(answer, dict) else []
        ended = stack.wait_runs([run["id"] for run in runs], 300)
        finished = time.time() - started
        counts, _ = stack.jobs_per_item()
        lost = len(stack.names) - len({run["itemName"] for run in runs})
        doubles = sum(1 for name in stack.names if counts.get(name, 0) > 1)
        wrong = sum(1 for run in ended.values() if run["state"] != "succeeded") + (len(runs) - len(ended))
        never = sum(1 for name in stack.names if counts.get(name, 0) == 0)
        checks += [("crash: items lost", lost + never, 0), ("crash: double refreshes", doubles, 0), ("crash: wrong outcomes", wrong, 0)]
        report.append(f"### Crash soak\n\n100 items, 5 × `kill -9` (random moments, refresh calls delayed 40 ms), retried with the same key; "
                      f"final answer HTTP {status} with {len(runs)} runs.\n\n| measure | value | goal |\n| --- | --- | --- |\n"
                      f"| items lost | {lost + never} | 0 |\n| double refreshes | {doubles} | 0 |\n| wrong outcomes | {wrong} | 0 |\n"
                      f"| time from first request to all runs ended | {finished:.1f} s | |\n")
    finally:
        stack.stop()
    return checks


def revoke_loop(stack, stop, every=10.0):
    while not stop.wait(every):
        http("POST", f"{stack.emulator_url}/_emulator/sessions/revoke", {"pat": "bench-admin"})


def phase_fault(freshet, work, report, count=1000):
    stack = Stack(freshet, work, count, 1, {"FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION": "200"})
    checks = []
    stop = threading.Event()
    try:
        stack.start()
        http("DELETE", f"{stack.emulator_url}/_emulator/requests")
        stack.set_faults({"errorRate": 0.10, "rateLimitRate": 0.05, "dropRate": 0.03, "loseAnswerRate": 0.20, "retryAfterSeconds": 1})
        threading.Thread(target=revoke_loop, args=(stack, stop), daemon=True).start()
        started = time.time()
        ids = []
        for start in range(0, count, 100):
            targets = [{"datasource": name} for name in stack.names[start:start + 100]]
            for _ in range(30):
                status, answer = stack.post_runs(targets, f"fault-{start}", timeout=60)
                if status in (200, 202):
                    ids += [run["id"] for run in answer["runs"]]
                    break
        ended = stack.wait_runs(ids, 600)
        elapsed = time.time() - started
        stop.set()
        stack.set_faults({})
        counts, jobs = stack.jobs_per_item()
        requests = stack.emulator_get("requests")
        requests = requests.get("requests", requests) if isinstance(requests, dict) else requests
        succeeded_jobs = {job.get("itemName") for job in jobs if job.get("status") == "Success"}
        runs = list(ended.values())
        status_of = {job["id"]: job.get("status") for job in jobs}
        false_success = sum(1 for run in runs if run["state"] == "succeeded" and status_of.get(run.get("jobId")) != "Success")
        false_failure = sum(1 for run in runs if run["state"] != "succeeded")
        doubles = sum(1 for n in counts.values() if n > 1)
        missing = count - len(runs)
        checks += [("fault: false successes", false_success, 0), ("fault: false failures", false_failure + missing, 0),
                   ("fault: double refreshes", doubles, 0)]
        report.append(f"### Fault soak\n\n{count} refreshes ({count // 100} requests of 100), 10% 5xx, 5% 429, 3% dropped connections, 20% of answers "
                      f"lost after the emulator acted, every session revoked every 10 s.\n\n| measure | value | goal |\n| --- | --- | --- |\n"
                      f"| runs ended | {len(runs)} of {count} | all |\n| false successes | {false_success} | 0 |\n"
                      f"| false failures | {false_failure + missing} | 0 |\n| double refreshes | {doubles} | 0 |\n"
                      f"| Tableau calls in total | {len(requests)} | |\n| time to finish | {elapsed:.1f} s | |\n"
                      f"| jobs that succeeded at Tableau | {len(succeeded_jobs)} | |\n")
    finally:
        stop.set()
        stack.stop()
    return checks


def phase_scale(freshet, work, report, count=10_000):
    checks = []
    rows = []
    for shape in ("one request", "100 requests"):
        (Path(work) / shape.replace(" ", "-")).mkdir(parents=True, exist_ok=True)
        stack = Stack(freshet, Path(work) / shape.replace(" ", "-"), count, 120,
                      {"FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION": str(count), "FRESHET_LEASE_SECONDS": "30"})
        stop = threading.Event()
        health = []

        def probe():
            while not stop.is_set():
                t0 = time.perf_counter()
                try:
                    urllib.request.urlopen(f"{stack.api}/health", timeout=10).read()
                    health.append((time.perf_counter() - t0) * 1000)
                except OSError:
                    health.append(10_000.0)
                stop.wait(0.05)

        try:
            stack.start()
            http("DELETE", f"{stack.emulator_url}/_emulator/requests")
            threading.Thread(target=probe, daemon=True).start()
            started = time.time()
            targets = [{"datasource": name} for name in stack.names]
            if shape == "one request":
                stack.post_runs(targets, "scale", timeout=600)
            else:
                with concurrent.futures.ThreadPoolExecutor(8) as pool:
                    list(pool.map(lambda i: stack.post_runs(targets[i * 100:(i + 1) * 100], f"scale-{i}", timeout=600), range(100)))
            all_jobs_at = None
            peak_rss = 0.0
            while time.time() - started < 300:
                peak_rss = max(peak_rss, rss_mb(stack.serve.pid) or 0)
                jobs = stack.emulator_get("jobs")
                jobs = jobs.get("jobs", jobs) if isinstance(jobs, dict) else jobs
                if len(jobs) >= count:
                    all_jobs_at = time.time() - started
                    break
                time.sleep(1)
            # Tableau calls per second while the jobs run (after every trigger).
            before = len(stack.emulator_get("requests"))
            window = 30.0
            t0 = time.time()
            while time.time() - t0 < window:
                peak_rss = max(peak_rss, rss_mb(stack.serve.pid) or 0)
                time.sleep(1)
            after = len(stack.emulator_get("requests"))
            rate = (after - before - 2) / window  # minus this script's two log reads
            p99 = percentile(health, 99)
            rows.append((shape, all_jobs_at, rate, peak_rss, p99))
            checks += [(f"scale ({shape}): all jobs created", 0 if all_jobs_at is not None else 1, 0),
                       (f"scale ({shape}): Tableau calls/s while waiting <= 2", 0 if rate <= 2 else 1, 0),
                       (f"scale ({shape}): RSS <= 256 MB", 0 if peak_rss <= 256 else 1, 0),
                       (f"scale ({shape}): /health p99 <= 50 ms", 0 if p99 <= 50 else 1, 0)]
        finally:
            stop.set()
            stack.stop()
    table = "\n".join(
        f"| {shape} | {'%.1f s' % at if at is not None else 'not all'} | {rate:.2f} | {rss:.0f} MB | {p99:.1f} ms |"
        for shape, at, rate, rss, p99 in rows)
    report.append(f"### Scale\n\n{count} runs, 120 s jobs, no job limit (FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION={count}).\n\n"
                  f"| shape | all jobs at Tableau after | Tableau calls/s while waiting (goal <= 2) | peak RSS (goal <= 256 MB) | /health p99 (goal <= 50 ms) |\n"
                  f"| --- | --- | --- | --- | --- |\n{table}\n")
    return checks


def refresh_call_time(stack, since_count):
    requests = stack.emulator_get("requests")
    requests = requests.get("requests", requests) if isinstance(requests, dict) else requests
    return [r for r in requests[since_count:] if r["method"] == "POST" and r["path"].endswith("/refresh")], len(requests)


def parse_time(text):
    from datetime import datetime
    return datetime.strptime(text.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


def phase_latency(freshet, work, report, samples=100):
    count = 5 * samples + 10
    stack = Stack(freshet, work, count, 1, {"FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION": str(count + 10)})
    checks = []
    rows = []
    try:
        stack.start()
        # Warm: the session, and every name resolved once (names stay cached for a minute): one
        # request for every item, waited to its end, so each measured refresh is a new one.
        status, answer = stack.post_runs([{"datasource": name} for name in stack.names], "warm", timeout=120)
        runs = answer["runs"]
        stack.wait_runs([run["id"] for run in runs], 120)
        ids = {run["itemName"]: run["itemId"] for run in runs}
        # Tableau's own round trip, measured from here with the same client: GET serverinfo,
        # sequential (the goal's yardstick) and 20 at once (how much the machine itself adds).
        emulator = urlsplit(stack.emulator_url)
        serverinfo = burst.request_bytes("GET", "/api/3.24/serverinfo", emulator.netloc, {})
        rtts = {}
        for concurrency in (1, 20):
            sockets = burst.open_connections(emulator.hostname, emulator.port, concurrency)
            times = []
            for _ in range(max(50 // concurrency, 5)):
                times += [(answered - sent) * 1000 for sent, _, _, answered in burst.burst(sockets, [serverinfo] * concurrency)]
            for connection in sockets:
                connection.close()
            rtts[concurrency] = times
        rtt = percentile(rtts[1], 50)
        seen = len(stack.emulator_get("requests"))
        names = iter(stack.names)
        # The client is kept out of the measure: kept-alive connections opened beforehand, each
        # request encoded before the burst, written from one thread (burst.py) and stamped just
        # before its write.
        address = urlsplit(stack.api)
        sockets = burst.open_connections(address.hostname, address.port, 20)
        headers = dict(stack.auth(), **{"Content-Type": "application/json"})
        def measure(mode, concurrency):
            nonlocal seen
            delays = []
            for _ in range(samples // concurrency):
                picks = [next(names) for _ in range(concurrency)]
                targets = [{"datasource": ids[n]} if mode == "by id" else {"datasource": n} for n in picks]
                requests = [burst.request_bytes("POST", "/api/v1/runs", address.netloc, headers,
                                                json.dumps({"connection": "bench", "targets": [target]}).encode())
                            for target in targets]
                answers = burst.burst(sockets[:concurrency], requests)
                for _, status, body, _ in answers:
                    if status != 202:
                        raise RuntimeError(f"POST /api/v1/runs answered {status}: {body[:200]!r}")
                sent = {ids[name]: answer[0] for name, answer in zip(picks, answers)}
                # The refresh calls may follow the answers (202): wait until all of this batch's are logged.
                calls = []
                for _ in range(200):
                    more, seen = refresh_call_time(stack, seen)
                    calls += more
                    if len(calls) >= concurrency:
                        break
                    time.sleep(0.01)
                # Each call is matched to its own request by the item id in its path.
                for call in calls:
                    item = call["path"].rsplit("/", 2)[-2]
                    if item in sent:
                        delays.append(parse_time(call["time"]) * 1000 - sent.pop(item) * 1000)
            return delays

        for mode in ("by cached name", "by id"):
            for concurrency in (1, 20):
                delays = measure(mode, concurrency)
                rows.append((mode, concurrency, percentile(delays, 50), percentile(delays, 99), len(delays)))
                checks.append((f"latency {mode} x{concurrency}: p99 <= RTT + 5 ms", 0 if percentile(delays, 99) <= rtt + 5 else 1, 0))
        # Tableau 50 ms away (as Tableau Cloud is): a call that waits for another to end costs a
        # whole round trip, which the loopback emulator hides.
        stack.set_faults({"latencyMs": 50})
        far = []
        for _ in range(10):
            t0 = time.perf_counter()
            urllib.request.urlopen(f"{stack.emulator_url}/api/3.24/serverinfo", timeout=10).read()
            far.append((time.perf_counter() - t0) * 1000)
        far_rtt = percentile(far, 50)
        delays = measure("by id", 20)
        stack.set_faults({})
        rows.append((f"by id, Tableau {far_rtt:.0f} ms away", 20, percentile(delays, 50), percentile(delays, 99), len(delays)))
        checks.append((f"latency by id x20, Tableau {far_rtt:.0f} ms away: p99 <= RTT + 5 ms",
                       0 if percentile(delays, 99) <= far_rtt + 5 else 1, 0))
        for connection in sockets:
            connection.close()
        table = "\n".join(f"| {m} | {c} | {p50:.1f} ms | {p99:.1f} ms | {n} |" for m, c, p50, p99, n in rows)
        report.append(f"### Latency\n\nRequest sent → the refresh call logged by the emulator (warm session, names resolved in the last minute). "
                      f"Tableau round trip (GET serverinfo from the bench, median of 50): {rtt:.2f} ms; goal p99 <= {rtt + 5:.1f} ms. "
                      f"The same call 20 at once: round trip p50 {percentile(rtts[20], 50):.2f} ms, p99 {percentile(rtts[20], 99):.2f} ms.\n\n"
                      f"| targets | concurrent | p50 | p99 | samples |\n| --- | --- | --- | --- | --- |\n{table}\n")
    finally:
        stack.stop()
    return checks


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--freshet", required=True, help="the freshet binary (a release build for the closing note)")
    parser.add_argument("--phase", default="crash,fault,scale,latency", help="comma-separated phases")
    parser.add_argument("--report", help="also write the markdown report here")
    parser.add_argument("--baseline", help="another freshet binary (e.g. main before a change), measured in the same run after each "
                        "phase of --freshet; its checks are reported but do not decide the exit code")
    parser.add_argument("--fault-count", type=int, default=1000)
    parser.add_argument("--scale-count", type=int, default=10_000)
    args = parser.parse_args()
    binaries = [("this build", str(Path(args.freshet).resolve()))]
    if args.baseline:
        binaries.append(("baseline", str(Path(args.baseline).resolve())))
    for _, binary in binaries:
        if not os.access(binary, os.X_OK):
            print(f"no freshet binary at {binary}", file=sys.stderr)
            return 2
    report = [f"## Exactly-once soak ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
              + ", ".join(f"{label}: {binary}" for label, binary in binaries) + ")\n"]
    checks, baseline_checks = [], []
    for phase in args.phase.split(","):
        for label, freshet in binaries:
            if len(binaries) > 1:
                report.append(f"#### {phase}: {label}\n")
            found = baseline_checks if label == "baseline" else checks
            with tempfile.TemporaryDirectory(prefix=f"freshet-soak-{phase}-") as work:
                started = time.time()
                if phase == "crash":
                    found += phase_crash(freshet, work, report)
                elif phase == "fault":
                    found += phase_fault(freshet, work, report, args.fault_count)
                elif phase == "scale":
                    found += phase_scale(freshet, work, report, args.scale_count)
                elif phase == "latency":
                    found += phase_latency(freshet, work, report)
                else:
                    print(f"unknown phase {phase}", file=sys.stderr)
                    return 2
                print(f"phase {phase} ({label}) took {time.time() - started:.0f} s", file=sys.stderr)
    report.append("### Checks\n\n" + "\n".join(f"- {'PASS' if value == goal else 'FAIL'}: {name} ({value})" for name, value, goal in checks))
    if baseline_checks:
        report.append("### Checks of the baseline\n\n"
                      + "\n".join(f"- {'PASS' if value == goal else 'FAIL'}: {name} ({value})" for name, value, goal in baseline_checks))
    text = "\n".join(report)
    print(text)
    if args.report:
        Path(args.report).write_text(text + "\n")
    return 0 if all(value == goal for _, value, goal in checks) else 3


if __name__ == "__main__":
    sys.exit(main())
