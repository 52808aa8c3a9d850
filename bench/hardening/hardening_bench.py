#!/usr/bin/env python3
"""Issue 19 bench: Freshet's API under hostile connections, and its throughput against a bare
Hummingbird route, release builds side by side in one run on one emulator (127.0.0.1 only).

Throughput (wrk -t2 -c32, `--seconds` each, `--rounds` rounds, each round measuring the bare route
first): `GET /api/v1/runs/{id}` and `POST /api/v1/runs` with a repeated Idempotency-Key (the run
exists), bearer-authenticated, as a ratio of `freshet-bare`'s `GET /run` (one Hummingbird route
encoding a run-shaped JSON padded to the size of Freshet's GET run answer). Goals: ≥ 0.5 and ≥ 0.25.
Every binary given (`--freshet LABEL=BIN`, e.g. before=… after=…) is measured in every round.

Slow clients (each binary, the server under `ulimit -n 1024`): 4 measuring clients on 127.0.0.1
keep their connections (opened before the load, as an application's connection pool would) and
send authenticated GET /api/v1/runs/{id} one after another; p99 while unloaded, then while a second
process holds 1,000 idle connections (connected, nothing sent) and 1,000 slow-header connections
(a request head trickled one byte a second, never finished) from 127.0.0.2–127.0.0.17 (125 per
address, below the per-address limit of 128), reopening each as soon as the server closes it.
Goal: loaded p99 ≤ 2 × unloaded p99. Also measured: a fresh connection's time to its first answer
(connect + GET) unloaded and loaded, the server's accepted connections, its accept queue and open
files during the load.

Prints JSON lines, then the Markdown report to the file given with --report.
Usage: hardening_bench.py --freshet before=BIN --freshet after=BIN --bare BIN [--report FILE]
"""
import argparse
import asyncio
import http.client
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "limits"))
from benchhttp import free_port, wait_for_line  # noqa: E402
from benchhttp import http as http_json  # noqa: E402
from limits_bench import PAT_NAME, PAT_SECRET, Emulator  # noqa: E402

HOSTILE_ADDRESSES = [f"127.0.0.{n}" for n in range(2, 18)]


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(fraction * len(values)))] if values else None


class Server:
    """`freshet serve` on its own data directory, under `ulimit -n 1024`, with a bench token and one run."""

    def __init__(self, label: str, binary: str, emulator: Emulator, work: Path):
        self.label, self.binary = label, binary
        data = work / f"data-{label}"
        self.env = dict(os.environ, FRESHET_DATA_DIR=str(data), FRESHET_LOG_LEVEL="warning",
                        FRESHET_MASTER_KEY=subprocess.run(["openssl", "rand", "-base64", "32"], capture_output=True, text=True).stdout.strip())
        subprocess.run([binary, "connection", "add", "bench", "--server", emulator.url, "--pat-name", PAT_NAME, "--pat-secret-stdin"],
                       input=PAT_SECRET, text=True, env=self.env, check=True, capture_output=True)
        created = subprocess.run([binary, "token", "create", "bench", "--scope", "refresh", "--scope", "read", "--allow-connection", "bench",
                                  "--allow-project", "*"], env=self.env, check=True, capture_output=True, text=True).stdout
        self.token = next(line.strip() for line in created.splitlines() if line.strip().startswith("fsh_"))
        self.port = free_port()
        out = work / f"serve-{label}.out"
        self.process = subprocess.Popen([binary, "serve", "--port", str(self.port)], stdout=out.open("w"),
                                        stderr=out.with_suffix(".err").open("w"), env=self.env,
                                        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024)))
        self.api = wait_for_line(out, "Freshet listening on", self.process)
        self.key = f"bench-{label}-{int(time.time())}"
        self.body = json.dumps({"connection": "bench", "targets": [{"datasource": "DS 01"}]})
        status, answer = self.post_run()
        if status not in (200, 201, 202) or not isinstance(answer, dict) or not answer.get("runs"):
            raise SystemExit(f"{label}: the run was not created: {status} {answer}")
        self.run = answer["runs"][0]["id"]
        self.run_path = f"/api/v1/runs/{self.run}"
        status, text = self.get_raw(self.run_path)
        self.run_bytes = len(text)

    def post_run(self):
        connection = http_client(self.port)
        body = json.dumps(json.loads(self.body) | {"waitSeconds": 30})
        connection.request("POST", "/api/v1/runs", body=body, headers=self.headers() | {"Content-Type": "application/json", "Idempotency-Key": self.key})
        response = connection.getresponse()
        return response.status, json.loads(response.read())

    def get_raw(self, path):
        connection = http_client(self.port)
        connection.request("GET", path, headers=self.headers())
        response = connection.getresponse()
        return response.status, response.read()

    def headers(self):
        return {"Authorization": f"Bearer {self.token}"}

    def open_files(self) -> int:
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def http_client(port, timeout=60):
    return http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)


# ---------------------------------------------------------------- throughput (wrk)

def wrk(url: str, seconds: int, connections: int, headers=(), script=None, env=None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    output = subprocess.run(command + [url], capture_output=True, text=True, env=dict(os.environ, **(env or {})), check=True).stdout
    result = {"rps": 0.0, "p99Ms": None, "errors": 0}
    for line in output.splitlines():
        words = line.split()
        if line.startswith("Requests/sec:"):
            result["rps"] = float(words[1])
        elif words[:1] == ["99%"]:
            result["p99Ms"] = milliseconds(words[1])
        elif line.startswith("Non-2xx or 3xx responses:"):
            result["errors"] += int(words[-1])
        elif line.strip().startswith("Socket errors:"):
            result["errors"] += sum(int(word.rstrip(",")) for word in words if word.rstrip(",").isdigit())
    return result


def milliseconds(text: str) -> float:
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60000.0)):
        if text.endswith(unit):
            return round(float(text[: -len(unit)]) * factor, 3)
    return float(text)


def throughput(servers, bare_url: str, rounds: int, seconds: int, connections: int, post_script: str):
    records = []
    for round_number in range(1, rounds + 1):
        bare = wrk(bare_url + "/run", seconds, connections)
        record = {"event": "throughput", "round": round_number, "load": load(), "bare": bare}
        for server in servers:
            auth = [f"Authorization: Bearer {server.token}"]
            get = wrk(server.api + server.run_path, seconds, connections, auth)
            post = wrk(server.api + "/api/v1/runs", seconds, connections, script=post_script,
                       env={"TOKEN": server.token, "KEY": server.key, "BODY": server.body})
            record[server.label] = {"get": get, "post": post, "getRatio": round(get["rps"] / bare["rps"], 3),
                                    "postRatio": round(post["rps"] / bare["rps"], 3)}
        print(json.dumps(record), flush=True)
        records.append(record)
    return records


# ---------------------------------------------------------------- slow clients

class Measurer:
    """Clients on 127.0.0.1 sending GET run one after another on kept connections; samples are (time, seconds, ok)."""

    def __init__(self, server: Server, clients: int = 4):
        self.server, self.samples, self.lock, self.stopping = server, [], threading.Lock(), threading.Event()
        self.threads = [threading.Thread(target=self.loop, daemon=True) for _ in range(clients)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def loop(self):
        connection = http_client(self.server.port)
        headers = self.server.headers()
        while not self.stopping.is_set():
            started = time.perf_counter()
            ok = False
            try:
                connection.request("GET", self.server.run_path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http_client(self.server.port)
            with self.lock:
                self.samples.append((time.time(), time.perf_counter() - started, ok))

    def window(self, start: float, end: float) -> dict:
        with self.lock:
            chosen = [(seconds, ok) for at, seconds, ok in self.samples if start <= at < end]
        latencies = [seconds * 1000 for seconds, ok in chosen if ok]
        return {"requests": len(chosen), "failed": sum(1 for _, ok in chosen if not ok),
                "p50Ms": round(percentile(latencies, 0.5), 3) if latencies else None,
                "p99Ms": round(percentile(latencies, 0.99), 3) if latencies else None,
                "maxMs": round(max(latencies), 3) if latencies else None}

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=70)


def fresh_connections(server: Server, count: int = 10, parallel: int = 5) -> dict:
    """Time from connect to a GET run's answer on new connections from 127.0.0.1 (parallel at a time)."""
    results, lock = [], threading.Lock()

    def one():
        started = time.perf_counter()
        try:
            status, _ = server.get_raw(server.run_path)
            ok = status == 200
        except (OSError, http.client.HTTPException):
            ok = False
        with lock:
            results.append((time.perf_counter() - started, ok))

    for offset in range(0, count, parallel):
        threads = [threading.Thread(target=one) for _ in range(min(parallel, count - offset))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    seconds = sorted(value for value, ok in results if ok)
    return {"tries": len(results), "failed": sum(1 for _, ok in results if not ok),
            "medianMs": round(statistics.median(seconds) * 1000, 1) if seconds else None,
            "maxMs": round(seconds[-1] * 1000, 1) if seconds else None}


def server_sockets(port: int) -> dict:
    established = subprocess.run(["ss", "-Htn", "state", "established", f"( sport = :{port} )"], capture_output=True, text=True).stdout
    listening = subprocess.run(["ss", "-Hltn", f"( sport = :{port} )"], capture_output=True, text=True).stdout.split()
    return {"accepted": len(established.splitlines()), "acceptQueue": int(listening[1]) if len(listening) > 1 else None}


def slow_clients(server: Server, script: str, idle: int, slow: int, unloaded_seconds: int, loaded_seconds: int) -> dict:
    measurer = Measurer(server)
    measurer.start()
    time.sleep(2)  # warm-up, not measured
    unloaded_start = time.time()
    time.sleep(unloaded_seconds)
    unloaded = measurer.window(unloaded_start, time.time())
    fresh_unloaded = fresh_connections(server)
    hostile = subprocess.Popen([sys.executable, script, "hostile", "--port", str(server.port), "--idle", str(idle), "--slow", str(slow)],
                               stdout=subprocess.PIPE, text=True)
    ready = json.loads(hostile.stdout.readline())  # every hostile connection attempted once
    time.sleep(3)
    loaded_start = time.time()
    peak = {"accepted": 0, "acceptQueue": 0, "openFiles": 0}
    while time.time() < loaded_start + loaded_seconds:
        sockets = server_sockets(server.port) | {"openFiles": server.open_files()}
        peak = {key: max(peak[key], sockets[key] or 0) for key in peak}
        time.sleep(1)
    loaded = measurer.window(loaded_start, time.time())
    fresh_loaded = fresh_connections(server)
    measurer.stop()
    hostile.send_signal(signal.SIGTERM)
    hostile_stats = json.loads(hostile.stdout.readline() or "{}")
    hostile.wait(timeout=30)
    record = {"event": "slow-clients", "binary": server.label, "idle": idle, "slow": slow, "load": load(), "unloaded": unloaded, "loaded": loaded,
              "ratio": round(loaded["p99Ms"] / unloaded["p99Ms"], 2) if loaded["p99Ms"] and unloaded["p99Ms"] else None,
              "freshUnloaded": fresh_unloaded, "freshLoaded": fresh_loaded, "server": peak, "hostileReady": ready, "hostile": hostile_stats,
              "serverAlive": server.process.poll() is None}
    print(json.dumps(record), flush=True)
    return record


async def hostile_main(port: int, idle: int, slow: int):
    """Holds `idle` idle and `slow` slow-header connections open from 127.0.0.2…, reopening each one the server closes."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    stats = {"opened": 0, "closedByServer": 0, "connectFailures": 0}
    attempted = asyncio.Event()
    first_round = [0]
    total = idle + slow

    async def connection(index: int, trickle: bool):
        address = HOSTILE_ADDRESSES[index % len(HOSTILE_ADDRESSES)]
        first = True
        while True:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(address, 0))
                stats["opened"] += 1
            except OSError:
                stats["connectFailures"] += 1
                reader = writer = None
            if first:
                first = False
                first_round[0] += 1
                if first_round[0] == total:
                    attempted.set()
            if writer is None:
                await asyncio.sleep(1)
                continue
            try:
                if trickle:
                    for byte in b"GET /api/v1/runs HTTP/1.1\r\nHost: freshet\r\nX-Slow: " + b"a" * 10000:
                        writer.write(bytes([byte]))
                        await writer.drain()
                        if await read_closed(reader, 1.0):
                            break
                else:
                    await reader.read()
                stats["closedByServer"] += 1
            except OSError:
                stats["closedByServer"] += 1
            writer.close()

    tasks = [asyncio.create_task(connection(n, trickle=False)) for n in range(idle)]
    tasks += [asyncio.create_task(connection(idle + n, trickle=True)) for n in range(slow)]
    await attempted.wait()
    print(json.dumps({"attempted": total, "opened": stats["opened"]}), flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    print(json.dumps(stats), flush=True)
    os._exit(0)


async def read_closed(reader, seconds: float) -> bool:
    """Waits up to `seconds` for the server to close the connection; true when it did."""
    try:
        await asyncio.wait_for(reader.read(1024), seconds)  # an answer (refusal) or the end: the server is done with it
        return True
    except asyncio.TimeoutError:
        return False


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "hostile":
        parser = argparse.ArgumentParser()
        parser.add_argument("hostile")
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--idle", type=int, default=1000)
        parser.add_argument("--slow", type=int, default=1000)
        args = parser.parse_args()
        asyncio.run(hostile_main(args.port, args.idle, args.slow))
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--freshet", action="append", required=True, help="LABEL=BIN (release build), repeatable")
    parser.add_argument("--bare", required=True, help="freshet-bare (release build)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument("--slow", type=int, default=1000)
    parser.add_argument("--unloaded-seconds", type=int, default=15)
    parser.add_argument("--loaded-seconds", type=int, default=20)
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-slow-clients", action="store_true")
    args = parser.parse_args()
    binaries = [entry.split("=", 1) for entry in args.freshet]
    here = Path(__file__).resolve().parent
    work = Path(tempfile.mkdtemp(prefix="hardening-bench-"))
    emulator = Emulator(binaries[-1][1], work)
    servers = []
    bare = None
    try:
        servers = [Server(label, binary, emulator, work) for label, binary in binaries]
        run_bytes = servers[-1].run_bytes
        bare_out = work / "bare.out"
        bare = subprocess.Popen([args.bare, "--size", str(run_bytes)], stdout=bare_out.open("w"), stderr=subprocess.DEVNULL)
        bare_url = wait_for_line(bare_out, "freshet-bare listening on", bare)
        connection = http_client(int(bare_url.rsplit(":", 1)[1]))
        connection.request("GET", "/run")
        bare_bytes = len(connection.getresponse().read())
        print(json.dumps({"event": "start", "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "load": load(), "cores": os.cpu_count(),
                          "binaries": dict(binaries), "runBytes": {s.label: s.run_bytes for s in servers}, "bareBytes": bare_bytes}), flush=True)
        if not args.skip_throughput:
            throughput(servers, bare_url, args.rounds, args.seconds, args.connections, str(here / "post-runs.lua"))
        if not args.skip_slow_clients:
            for server in servers:
                slow_clients(server, str(Path(__file__).resolve()), args.idle, args.slow, args.unloaded_seconds, args.loaded_seconds)
        for server in servers:
            runs = http_json("GET", server.api + "/api/v1/runs?limit=100", token=server.token)[1]
            print(json.dumps({"event": "end", "binary": server.label, "runsStored": len(runs.get("runs", [])) if isinstance(runs, dict) else None,
                              "serverAlive": server.process.poll() is None}), flush=True)
    finally:
        for server in servers:
            server.stop()
        if bare:
            bare.terminate()
            bare.wait(timeout=30)
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
