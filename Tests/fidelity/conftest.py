"""Fixtures for the fidelity suite: Tableau's own clients against Freshet's Tableau emulator.

Each test module gets its own emulator process (port 0 on 127.0.0.1, seeded from seed.json),
so modules never share state and can run in parallel. The binary is $FRESHET_BIN, or
.build/debug/freshet when unset.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import threading
from pathlib import Path
from typing import Iterator

import pytest
import requests
import tableauserverclient as TSC

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SEED = HERE / "seed.json"
STARTUP_TIMEOUT = 30.0
HTTP_TIMEOUT = 10.0
LISTENING = re.compile(r"^Tableau emulator listening on (http://127\.0\.0\.1:(\d+))\s*$")


def freshet_binary() -> Path:
    configured = os.environ.get("FRESHET_BIN")
    path = Path(configured) if configured else REPO / ".build" / "debug" / "freshet"
    if not path.is_absolute():
        path = REPO / path
    if not path.exists():
        pytest.exit(f"freshet binary not found at {path}: run `swift build --product freshet` or set FRESHET_BIN", 2)
    return path


def pat_secret(name: str) -> str:
    """The seed's convention: PAT `fid-x` has secret `fid-x-secret`."""
    return f"{name}-secret"


class Emulator:
    """A running `freshet emulator` process and helpers for its admin API."""

    def __init__(self, seed: Path, extra_args: list[str], log_dir: Path):
        self.seed = seed
        self._stderr = open(log_dir / "emulator-stderr.log", "w+")
        self.process = subprocess.Popen(
            [str(freshet_binary()), "emulator", "--seed", str(seed), "--host", "127.0.0.1", "--port", "0", *extra_args],
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        lines: queue.Queue[str | None] = queue.Queue()

        def pump() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, name="emulator-stdout", daemon=True).start()
        try:
            first = lines.get(timeout=STARTUP_TIMEOUT)
        except queue.Empty:
            first = None
        match = LISTENING.match(first or "")
        if not match:
            self.stop()
            stderr = (log_dir / "emulator-stderr.log").read_text()
            raise RuntimeError(f"the emulator did not announce its port (first stdout line {first!r}); stderr: {stderr}")
        self.url = match.group(1)
        self.port = int(match.group(2))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._stderr.close()

    # Admin API -----------------------------------------------------------------------------

    def admin(self, method: str, path: str, **kwargs) -> requests.Response:
        response = requests.request(method, f"{self.url}/_emulator/{path}", timeout=HTTP_TIMEOUT, **kwargs)
        response.raise_for_status()
        return response

    def request_log(self) -> list[dict]:
        """Tableau REST requests seen so far (admin calls left out)."""
        return [r for r in self.admin("GET", "requests").json() if not r["path"].startswith("/_emulator")]

    def clear_request_log(self) -> None:
        self.admin("DELETE", "requests")

    def jobs(self) -> list[dict]:
        return self.admin("GET", "jobs").json()

    # Clients -------------------------------------------------------------------------------

    def client(self, use_server_version: bool = False) -> TSC.Server:
        """A TSC.Server for this emulator, not signed in, whose HTTP calls time out."""
        return TSC.Server(self.url, use_server_version=use_server_version, http_options={"timeout": HTTP_TIMEOUT})

    def sign_in(self, pat: str = "fid-admin", use_server_version: bool = True, site: str = "") -> TSC.Server:
        server = self.client(use_server_version=use_server_version)
        server.auth.sign_in(TSC.PersonalAccessTokenAuth(pat, pat_secret(pat), site_id=site))
        return server

    def raw(self, method: str, path: str, token: str | None = None, json_accept: bool = False, **kwargs) -> requests.Response:
        """A plain HTTP call to `/api/...` (path given without the `/api` prefix)."""
        headers = kwargs.pop("headers", {})
        if token:
            headers["X-Tableau-Auth"] = token
        if json_accept:
            headers["Accept"] = "application/json"
        return requests.request(method, f"{self.url}/api{path}", headers=headers, timeout=HTTP_TIMEOUT, **kwargs)


def derived_seed(tmp_dir: Path, **server_settings) -> Path:
    """seed.json with some `server` settings replaced, written under tmp_dir."""
    seed = json.loads(SEED.read_text())
    seed["server"].update(server_settings)
    path = tmp_dir / "seed.json"
    path.write_text(json.dumps(seed))
    return path


@pytest.fixture(scope="module")
def start_emulator(tmp_path_factory) -> Iterator:
    """Factory: start_emulator(seed=SEED, args=[]) -> Emulator; all are stopped at module end."""
    started: list[Emulator] = []

    def start(seed: Path = SEED, args: list[str] | None = None) -> Emulator:
        emulator = Emulator(seed, args or [], tmp_path_factory.mktemp("emulator"))
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


@pytest.fixture(scope="module")
def emulator(start_emulator) -> Emulator:
    """The module's emulator, seeded with Tests/fidelity/seed.json."""
    return start_emulator()


@pytest.fixture
def server(emulator) -> Iterator[TSC.Server]:
    """A TSC.Server signed in with the `fid-admin` PAT (server version negotiated)."""
    server = emulator.sign_in("fid-admin")
    yield server
    try:
        server.auth.sign_out()
    except Exception:
        pass
