#!/usr/bin/env python3
"""Issue 14 bench: Freshet on PostgreSQL, several processes on one database (release build).

Phases, each on a database of its own in one private PostgreSQL cluster (scripts/postgres-test-cluster)
and its own Tableau emulator, 127.0.0.1 only, one run each:

  takeover    two `freshet serve` on PostgreSQL; one POST makes process A drive 100 runs whose jobs
              wait (1 h jobs); once all 100 wait, A is killed with SIGKILL. Measured: the time
              from the kill until process B holds the lease of every one of them (PostgreSQL
              polled every 20 ms), the lease left at the kill, and the refresh calls Tableau got
              (100 expected: none triggered twice).
  throughput  POST /api/v1/runs with wrk on SQLite, PostgreSQL and two processes on one
              PostgreSQL (two wrk, half the connections each, summed), side by side:
              `repeated` — one Idempotency-Key (the run exists), and `new` — a new key and a
              data source by id out of 10,000 per request (nearly every request stores a new
              run, which the engine then triggers). With --baseline BIN every setup runs with
              both binaries in turns (before/after a change in one run); --rounds N repeats
              the whole sequence N times (the report gives the median and every round).
  fanout      10 sites × 1,000 data sources whose jobs take 20 min (no job limit on the site),
              one connection (PAT) per site, three `freshet serve` on PostgreSQL; requests of 100
              data sources (by id) go to the processes in turn, so every process waits on jobs
              of every site. Once all 10,000 runs wait,
              the emulator's request log is cleared and read again after WINDOW seconds:
              Tableau calls per second per site (all processes together), RSS per process
              (sampled every second, max), PostgreSQL connections (pg_stat_activity, max).

Prints JSON lines (one per measurement); report.py turns them into Markdown.
Usage: pg_bench.py --freshet BIN --postgres-url URL --psql PSQL [--phases takeover,throughput,fanout]
                   [--label NAME --baseline BIN --baseline-label NAME]
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
from benchhttp import http, wait_for_line  # noqa: E402

USER = "admin@example.com"


def log(message: str):
    print(f"# {time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def emit(record: dict):
    record["load"] = load()
    print(json.dumps(record), flush=True)


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


class Postgres:
    """The private cluster: one database per phase, queried with psql."""

    def __init__(self, url: str, psql: str):
        match = re.match(r"postgres://([^@]+)@([^:/]+):(\d+)/([^?]+)", url)
        self.user, self.host, self.port, _ = match.groups()
        self.psql = psql

    def url(self, database: str) -> str:
        return f"postgres://{self.user}@{self.host}:{self.port}/{database}?sslmode=disable"

    def query(self, sql: str, database: str = "postgres") -> list[str]:
        out = subprocess.run([self.psql, "-h", self.host, "-p", self.port, "-U", self.user, "-d", database, "-Atc", sql],
                             capture_output=True, text=True, check=True).stdout
        return [line for line in out.splitlines() if line]

    def create(self, database: str) -> str:
        self.query(f"CREATE DATABASE {database}")
        return self.url(database)

    def connections(self, database: str) -> int:
        return int(self.query(f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid()", database)[0])


class Emulator:
    def __init__(self, freshet: str, work: Path, seed: dict, name: str):
        path = work / f"{name}-seed.json"
        path.write_text(json.dumps(seed))
        self.out = work / f"{name}-emulator.out"
        self.process = subprocess.Popen([freshet, "emulator", "--seed", str(path), "--host", "127.0.0.1", "--port", "0"],
                                        stdout=self.out.open("w"), stderr=self.out.with_suffix(".err").open("w"))
        self.url = wait_for_line(self.out, "Tableau emulator listening on", self.process)

    def clear(self):
        http("DELETE", self.url + "/_emulator/requests")

    def requests(self) -> list:
        return http("GET", self.url + "/_emulator/requests")[1]

    def datasource_ids(self, pat: str, secret: str, content_url: str = "") -> list[str]:
        status, body = http("POST", self.url + "/api/3.24/auth/signin",
                            {"credentials": {"personalAccessTokenName": pat, "personalAccessTokenSecret": secret, "site": {"contentUrl": content_url}}},
                            headers={"Accept": "application/json"})
        credentials = body["credentials"]
        ids, page = [], 1
        while True:
            _, listing = http("GET", f"{self.url}/api/3.24/sites/{credentials['site']['id']}/datasources?pageSize=1000&pageNumber={page}",
                              headers={"Accept": "application/json", "X-Tableau-Auth": credentials["token"]})
            ids += [item["id"] for item in listing["datasources"].get("datasource", [])]
            if len(ids) >= int(listing["pagination"]["totalAvailable"]):
                return ids
            page += 1

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


class Freshet:
    """`freshet serve` processes sharing one database (PostgreSQL URL, or None: SQLite in `data`)."""

    def __init__(self, binary: str, work: Path, name: str, database_url: str | None, extra_env: dict | None = None):
        self.binary, self.work, self.name = binary, work, name
        self.env = dict(os.environ, FRESHET_LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "warning"),
                        FRESHET_MASTER_KEY=subprocess.run(["openssl", "rand", "-base64", "32"], capture_output=True, text=True).stdout.strip(),
                        FRESHET_DATA_DIR=str(work / f"{name}-data"))
        self.env.pop("FRESHET_DATABASE_URL", None)
        if database_url:
            self.env["FRESHET_DATABASE_URL"] = database_url
        self.env.update(extra_env or {})
        self.processes: list[subprocess.Popen] = []
        self.urls: list[str] = []

    def cli(self, *args: str, input: str | None = None) -> str:
        return subprocess.run([self.binary, *args], input=input, text=True, env=self.env, check=True, capture_output=True).stdout

    def add_connection(self, name: str, server: str, pat: str, secret: str, site: str = ""):
        self.cli("connection", "add", name, "--server", server, "--site", site, "--pat-name", pat, "--pat-secret-stdin", input=secret)

    def create_token(self) -> str:
        created = self.cli("token", "create", "bench", "--scope", "refresh", "--scope", "read", "--allow-connection", "*", "--allow-project", "*")
        self.token = next(line.strip() for line in created.splitlines() if line.strip().startswith("fsh_"))
        return self.token

    def serve(self) -> str:
        index = len(self.processes)
        out = self.work / f"{self.name}-serve{index}.out"
        process = subprocess.Popen([self.binary, "serve", "--port", "0"], stdout=out.open("w"), stderr=out.with_suffix(".err").open("w"), env=self.env)
        self.processes.append(process)
        self.urls.append(wait_for_line(out, "Freshet listening on", process))
        return self.urls[-1]

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()


def generated_site(name: str, content_url: str, datasources: int, seconds: float) -> dict:
    return {"name": name, "contentUrl": content_url, "users": [{"name": USER, "siteRole": "SiteAdministratorCreator"}],
            "projects": [{"name": "Load"}],
            "generate": {"datasources": datasources, "project": "Load", "refresh": {"durationSeconds": seconds}}}


def wait_until(description: str, check, seconds: float, every: float = 0.5):
    end = time.time() + seconds
    last = None
    while time.time() < end:
        value, done = check()
        if done:
            return value
        if value != last:
            log(f"{description}: {value}")
            last = value
        time.sleep(every)
    raise SystemExit(f"timed out: {description} ({last})")


# ---------------------------------------------------------------- takeover

def takeover(args, pg: Postgres, work: Path):
    for round in range(args.takeover_rounds):
        takeover_once(args, pg, work, f"bench_takeover{round}")


def takeover_once(args, pg: Postgres, work: Path, database: str):
    lease = args.lease_seconds
    url = pg.create(database)
    emulator = Emulator(args.freshet, work, {
        "server": {"maxApiVersion": "3.24", "mode": "server", "sessionMinutes": 240},
        "personalAccessTokens": [{"name": "bench", "secret": "bench-secret", "user": USER}],
        "sites": [generated_site("Default", "", 100, 3600)]}, "takeover")
    freshet = Freshet(args.freshet, work, "takeover", url, {"FRESHET_LEASE_SECONDS": str(lease), "FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION": "1000"})
    try:
        freshet.add_connection("bench", emulator.url, "bench", "bench-secret")
        token = freshet.create_token()
        a = freshet.serve()
        freshet.serve()
        status, body = http("POST", a + "/api/v1/runs", {"connection": "bench", "targets": [{"project": "Load"}]}, token=token)
        assert status in (200, 201, 202), (status, body)
        wait_until("runs waiting", lambda: (lambda n: (n, n == 100))(int(pg.query("SELECT count(*) FROM runs WHERE state = 'waiting'", database)[0])), 600)
        # The POST leases the runs to A; under load another process may have taken some over
        # already (a lease not renewed in time): the process driving most of them is killed.
        rows = pg.query("SELECT split_part(lease_holder, ':', 2), count(*) FROM runs WHERE state = 'waiting' GROUP BY 1 ORDER BY 2 DESC",
                        database)
        holders = {pid: int(count) for pid, count in (row.split("|") for row in rows)}
        victim = next(p for p in freshet.processes if str(p.pid) == rows[0].split("|")[0])
        survivor = next(p for p in freshet.processes if p is not victim)
        refreshes_before = sum(1 for c in emulator.requests() if c["method"] == "POST" and c["path"].endswith("/refresh"))
        killed = time.time()
        os.kill(victim.pid, signal.SIGKILL)
        lease_left = float(pg.query(f"SELECT extract(epoch FROM max(lease_until)) FROM runs WHERE state = 'waiting' "
                                    f"AND split_part(lease_holder, ':', 2) = '{victim.pid}'", database)[0]) - killed
        sql = ("SELECT count(*) FROM runs WHERE state IN ('accepted', 'triggering', 'waiting') AND lease_until > now() "
               f"AND split_part(lease_holder, ':', 2) = '{survivor.pid}'")
        while True:
            taken = int(pg.query(sql, database)[0])
            if taken == 100:
                break
            if time.time() - killed > lease + 60:
                break
            time.sleep(0.02)
        took = time.time() - killed
        time.sleep(3)
        calls = emulator.requests()
        refreshes = sum(1 for c in calls if c["method"] == "POST" and c["path"].endswith("/refresh"))
        emit({"phase": "takeover", "runs": 100, "takenOver": taken, "leaseSeconds": lease, "takeoverSeconds": round(took, 3),
              "leaseLeftAtKill": round(lease_left, 3), "runsOfKilled": holders[str(victim.pid)],
              "killedWasReceiver": victim is freshet.processes[0], "goalSeconds": lease + 1, "refreshCalls": refreshes,
              "refreshCallsBeforeKill": refreshes_before,
              "signIns": sum(1 for c in calls if c["path"].endswith("/auth/signin"))})
    finally:
        freshet.stop()
        emulator.stop()


# ---------------------------------------------------------------- throughput

REPEATED_LUA = """
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Idempotency-Key"] = os.getenv("KEY")
wrk.body = '{"connection": "bench", "targets": [{"datasource": "Quick"}]}'
"""

NEW_LUA = """
-- A new key and a data source (by id) out of IDS per request: nearly every request stores a new run.
local ids = {}
for id in io.lines(os.getenv("IDS")) do ids[#ids + 1] = id end
local counter = 0
local prefix = os.getenv("PREFIX")
function setup(thread) thread:set("tid", tostring(math.random(1, 1000000000))) end
function init(args) math.randomseed(os.time() + tonumber(tid)) end
request = function()
  counter = counter + 1
  local key = prefix .. "-" .. tid .. "-" .. counter
  local body = '{"connection": "bench", "targets": [{"datasource": "' .. ids[math.random(#ids)] .. '"}]}'
  return wrk.format("POST", nil, {["Authorization"] = "Bearer " .. os.getenv("TOKEN"), ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = key}, body)
end
"""


def wrk(urls: list[str], script: Path, env: dict, duration: str, threads: int, connections: int) -> dict:
    per = max(1, connections // len(urls))
    # Each wrk gets a key prefix of its own: wrk's Lua `math.random` in setup() is unseeded, so two
    # wrk processes would otherwise send the same keys (half the "new" requests repeats).
    procs = [subprocess.Popen(["wrk", f"-t{max(1, threads // len(urls))}", f"-c{per}", f"-d{duration}", "--latency", "-s", str(script),
                               url + "/api/v1/runs"], stdout=subprocess.PIPE, text=True,
                              env=dict(os.environ, **dict(env, PREFIX=f"{env.get('PREFIX', '')}-w{index}")))
             for index, url in enumerate(urls)]
    outputs = [p.communicate()[0] for p in procs]
    total, errors, p99 = 0.0, 0, []
    for out in outputs:
        total += float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        errors += sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
        errors += sum(1 for _ in re.finditer(r"Socket errors", out))
        match = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", out)
        if match:
            value = float(match.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[match.group(2)]
            p99.append(value)
    return {"rps": round(total, 1), "errors": errors, "p99ms": round(max(p99), 2) if p99 else None}


def throughput(args, pg: Postgres, work: Path):
    seed = {"server": {"maxApiVersion": "3.24", "mode": "server", "sessionMinutes": 240},
            "personalAccessTokens": [{"name": "bench", "secret": "bench-secret", "user": USER}],
            "sites": [dict(generated_site("Default", "", 10000, 1),
                           datasources=[{"name": "Quick", "project": "Load", "refresh": {"durationSeconds": 0.2}}])]}
    emulator = Emulator(args.freshet, work, seed, "throughput")
    ids = emulator.datasource_ids("bench", "bench-secret")
    (work / "ids.txt").write_text("\n".join(i for i in ids) + "\n")
    (work / "repeated.lua").write_text(REPEATED_LUA)
    (work / "new.lua").write_text(NEW_LUA)
    setups = [("sqlite", None, 1), ("postgres", "bench_api_one", 1), ("postgres-2-processes", "bench_api_two", 2)]
    # --baseline BIN: every setup also with that binary (e.g. main before a change), in turns, in this one run.
    builds = [(args.label, args.freshet)] + ([(args.baseline_label, args.baseline)] if args.baseline else [])
    try:
        turns = ((round, setup, build) for round in range(args.rounds) for setup in setups for build in enumerate(builds))
        for round, (name, database, count), (index, (label, binary)) in turns:
            database = database and f"{database}_{index}_{round}"
            url = pg.create(database) if database else None
            freshet = Freshet(binary, work, f"api-{name}-{index}-{round}", url, {"FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION": "1000"})
            try:
                freshet.add_connection("bench", emulator.url, "bench", "bench-secret")
                token = freshet.create_token()
                urls = [freshet.serve() for _ in range(count)]
                key = f"bench-{name}-{index}-{round}-{int(time.time())}"
                status, body = http("POST", urls[0] + "/api/v1/runs", {"connection": "bench", "targets": [{"datasource": "Quick"}]}, token=token,
                                    headers={"Idempotency-Key": key})
                assert status in (200, 201, 202), (status, body)
                env = {"TOKEN": token, "KEY": key, "IDS": str(work / "ids.txt"), "PREFIX": f"{name}-{index}-{round}"}
                for mix, script in (("repeated", work / "repeated.lua"), ("new", work / "new.lua")):
                    log(f"wrk {name} {label} {mix}")
                    result = wrk(urls, script, env, args.duration, args.threads, args.connections)
                    rss = [rss_kb(p.pid) for p in freshet.processes]
                    emit(dict(result, phase="throughput", setup=name, build=label, round=round + 1, mix=mix, processes=count, rssKb=rss,
                              wrk=f"-t{args.threads} -c{args.connections} -d{args.duration}"))
                if url:
                    emit({"phase": "throughput-runs", "setup": name, "build": label, "round": round + 1,
                          "runs": int(pg.query("SELECT count(*) FROM runs", database)[0])})
            finally:
                freshet.stop()
    finally:
        emulator.stop()


# ---------------------------------------------------------------- fanout

def fanout(args, pg: Postgres, work: Path):
    sites = args.sites
    per_site = args.runs // sites
    url = pg.create("bench_fanout")
    seed = {"server": {"maxApiVersion": "3.24", "mode": "server", "sessionMinutes": 240},
            "personalAccessTokens": [{"name": f"bench-{i}", "secret": f"bench-secret-{i}", "user": USER} for i in range(sites)],
            "sites": [generated_site(f"Site {i}", f"site{i}", per_site, args.job_seconds) for i in range(sites)]}
    emulator = Emulator(args.freshet, work, seed, "fanout")
    freshet = Freshet(args.freshet, work, "fanout", url, {"FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION": "1000"})
    try:
        for i in range(sites):
            freshet.add_connection(f"site{i}", emulator.url, f"bench-{i}", f"bench-secret-{i}", site=f"site{i}")
        token = freshet.create_token()
        urls = [freshet.serve() for _ in range(args.processes)]
        # Every site's runs are spread over every process: requests of 100 data sources (by id)
        # go to the processes in turn, so each process waits on jobs of every site.
        ids = [emulator.datasource_ids(f"bench-{i}", f"bench-secret-{i}", f"site{i}") for i in range(sites)]
        started = time.time()
        for start in range(0, per_site, 100):
            for i in range(sites):
                targets = [{"datasource": id} for id in ids[i][start:start + 100]]
                status, body = http("POST", urls[(i + start // 100) % len(urls)] + "/api/v1/runs", {"connection": f"site{i}", "targets": targets},
                                    token=token)
                assert status in (200, 201, 202), (status, str(body)[:300])
        total = per_site * sites
        # Until every run waits; runs that stop moving (no new waiting run for --stall-seconds) are
        # reported by state and the window is measured on the runs that do wait.
        waiting, changed = 0, time.time()
        while waiting < total and time.time() - started < args.settle_timeout and time.time() - changed < args.stall_seconds:
            now_waiting = int(pg.query("SELECT count(*) FROM runs WHERE state = 'waiting'", "bench_fanout")[0])
            if now_waiting != waiting:
                waiting, changed = now_waiting, time.time()
                log(f"runs waiting: {waiting}")
            time.sleep(2)
        all_waiting = (changed if waiting < total else time.time()) - started
        not_waiting = pg.query("SELECT state || ' ' || split_part(lease_holder, ':', 2) || ': ' || count(*) || ' since ' || min(updated_at) "
                               "FROM runs WHERE state <> 'waiting' GROUP BY state, lease_holder ORDER BY 1", "bench_fanout")
        by_process = pg.query("SELECT split_part(lease_holder, ':', 2), count(*) FROM runs WHERE state = 'waiting' GROUP BY 1 ORDER BY 1", "bench_fanout")
        emulator.clear()
        window_start = time.time()
        rss = {p.pid: 0 for p in freshet.processes}
        connections, loads = 0, []
        while time.time() - window_start < args.window:
            for p in freshet.processes:
                rss[p.pid] = max(rss[p.pid], rss_kb(p.pid))
            connections = max(connections, pg.connections("bench_fanout"))
            loads.append(float(load().split()[0]))
            time.sleep(1)
        window = time.time() - window_start
        calls = [c for c in emulator.requests() if c["path"].startswith("/api/")]
        per_site_calls: dict[str, int] = {}
        kinds: dict[str, int] = {}
        per_second: dict[tuple, int] = {}
        for call in calls:
            match = re.search(r"/sites/([0-9a-fA-F-]{36})", call["path"])
            site = match.group(1) if match else "(no site)"
            per_site_calls[site] = per_site_calls.get(site, 0) + 1
            kind = "jobs" if "/jobs" in call["path"] else ("signin" if call["path"].endswith("/signin") else call["method"] + " other")
            kinds[kind] = kinds.get(kind, 0) + 1
            second = call["time"][:19]
            per_second[(site, second)] = per_second.get((site, second), 0) + 1
        rates = {site: round(count / window, 3) for site, count in per_site_calls.items()}
        still_waiting = int(pg.query("SELECT count(*) FROM runs WHERE state = 'waiting'", "bench_fanout")[0])
        emit({"phase": "fanout", "runs": total, "sites": sites, "processes": len(urls), "jobSeconds": args.job_seconds,
              "secondsUntilAllWaiting": round(all_waiting, 1), "runsPerProcess": by_process, "windowSeconds": round(window, 1),
              "callsPerSecondPerSite": rates, "maxCallsPerSecondPerSite": max(rates.values()) if rates else 0,
              "busiestSecondPerSite": max(per_second.values()) if per_second else 0, "callKinds": kinds,
              "rssKbMax": [rss[p.pid] for p in freshet.processes], "postgresConnectionsMax": connections,
              "loadDuringWindow": [min(loads), max(loads)] if loads else None, "stillWaiting": still_waiting,
              "waitingBeforeWindow": waiting, "notWaitingBeforeWindow": not_waiting})
    finally:
        freshet.stop()
        emulator.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--freshet", required=True)
    parser.add_argument("--postgres-url", required=True)
    parser.add_argument("--psql", required=True)
    parser.add_argument("--phases", default="takeover,throughput,fanout")
    parser.add_argument("--label", default="this build", help="the build's name in the throughput rows")
    parser.add_argument("--baseline", help="a second freshet binary measured in turns with --freshet in the throughput phase")
    parser.add_argument("--baseline-label", default="baseline")
    parser.add_argument("--rounds", type=int, default=1, help="throughput: every setup and build this many times, in turns")
    parser.add_argument("--lease-seconds", type=float, default=30)
    parser.add_argument("--takeover-rounds", type=int, default=3)
    parser.add_argument("--duration", default="10s")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--runs", type=int, default=10000)
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--job-seconds", type=float, default=1200)
    parser.add_argument("--window", type=float, default=60)
    parser.add_argument("--settle-timeout", type=float, default=1200)
    parser.add_argument("--stall-seconds", type=float, default=120, help="fanout: stop waiting when no run started waiting for this long")
    args = parser.parse_args()
    pg = Postgres(args.postgres_url, args.psql)
    # BENCH_KEEP=DIR keeps the processes' output (logs at BENCH_LOG_LEVEL) in DIR.
    keep = os.environ.get("BENCH_KEEP")
    with tempfile.TemporaryDirectory(prefix="freshet-pg-bench-") as directory:
        work = Path(keep or directory)
        work.mkdir(parents=True, exist_ok=True)
        for phase in args.phases.split(","):
            log(f"phase {phase}")
            {"takeover": takeover, "throughput": throughput, "fanout": fanout}[phase](args, pg, work)


if __name__ == "__main__":
    main()
