"""Shared by the Python benchmarks: JSON over HTTP, a free loopback port, and waiting for a
process's "listening on" line. Import with sys.path.insert(0, str(Path(__file__).parents[1] / "lib"))."""
import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path


def http(method: str, url: str, body=None, token=None, headers=None, timeout=120):
    """Sends `body` as JSON; returns (status, parsed JSON or text), HTTP errors included."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text.strip().startswith(("{", "[")) else text)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_line(path: Path, prefix: str, process: subprocess.Popen, seconds: float = 120) -> str:
    """The rest of the first line of `path` starting with `prefix`; exits when the process does."""
    end = time.time() + seconds
    while time.time() < end:
        if path.exists():
            for line in path.read_text().splitlines():
                if line.startswith(prefix):
                    return line[len(prefix):].strip()
        if process.poll() is not None:
            err = path.with_suffix(".err")
            raise SystemExit(f"{process.args[:2]} exited: {err.read_text() if err.exists() else ''}")
        time.sleep(0.05)
    raise SystemExit(f"no '{prefix}' line in {path}")
