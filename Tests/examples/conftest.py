"""Fixtures shared by the example suites: a real `freshet demo` process for the whole session.

The binary is $FRESHET_BIN, or .build/debug/freshet when unset. The demo runs with
`--port 0 --emulator-port 0` on a private data directory; its ready line gives the API URL and
the admin token. At the end it is stopped with SIGTERM and must exit 0.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
EXAMPLES = REPO / "examples"
STARTUP_TIMEOUT = 60.0
READY = re.compile(r"^Freshet demo ready: api=(\S+) token=(\S+) data-dir=(.+)$")


def freshet_binary() -> Path:
    configured = os.environ.get("FRESHET_BIN")
    path = Path(configured) if configured else REPO / ".build" / "debug" / "freshet"
    if not path.is_absolute():
        path = REPO / path
    if not path.exists():
        pytest.exit(f"freshet binary not found at {path}: run `swift build --product freshet` or set FRESHET_BIN", 2)
    return path


@dataclass
class Demo:
    """A running `freshet demo`: where its API is, its admin token and its data directory."""

    api: str
    token: str
    data_dir: Path
    binary: Path


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    base = tmp_path_factory.mktemp("freshet-demo")
    data_dir = base / "data"
    stderr = open(base / "demo-stderr.log", "w+")
    binary = freshet_binary()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FRESHET_")}
    process = subprocess.Popen(
        [str(binary), "demo", "--port", "0", "--emulator-port", "0", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL, text=True, env=environment,
    )
    lines: queue.Queue[str | None] = queue.Queue()
    output: list[str] = []

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    ready = None
    try:
        while ready is None:
            line = lines.get(timeout=STARTUP_TIMEOUT)
            if line is None:
                stderr.seek(0)
                pytest.fail(f"freshet demo exited {process.wait()} before it was ready:\n{''.join(output)}{stderr.read()}")
            ready = READY.match(line.rstrip("\n"))
    except queue.Empty:
        process.kill()
        pytest.fail(f"freshet demo printed no ready line within {STARTUP_TIMEOUT} s:\n{''.join(output)}")
    yield Demo(api=ready.group(1), token=ready.group(2), data_dir=Path(ready.group(3)), binary=binary)
    process.send_signal(signal.SIGTERM)
    try:
        status = process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("freshet demo did not stop within 30 s of SIGTERM")
    stderr.seek(0)
    assert status == 0, f"freshet demo exited {status} after SIGTERM:\n{stderr.read()}"
    assert "Freshet demo stopped" in "".join(output)
