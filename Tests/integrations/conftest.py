"""Fixtures of the integration suites: the session-wide `freshet demo` of Tests/examples/conftest.py
(same binary lookup: $FRESHET_BIN or .build/debug/freshet), a client of it, and the runs it holds."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
INTEGRATIONS = REPO / "integrations"

_spec = importlib.util.spec_from_file_location("freshet_examples_conftest", REPO / "Tests" / "examples" / "conftest.py")
assert _spec and _spec.loader
_examples = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _examples
_spec.loader.exec_module(_examples)

Demo = _examples.Demo
demo = _examples.demo  # the session fixture, re-exported


def runs_with_key_prefix(demo: "Demo", prefix: str) -> list[dict]:
    """Every run of the demo whose idempotency key starts with ``prefix`` (newest first)."""
    import httpx

    found: list[dict] = []
    cursor = None
    with httpx.Client(base_url=demo.api, headers={"Authorization": f"Bearer {demo.token}"}, timeout=30) as http:
        while True:
            params = {"limit": "1000", **({"cursor": cursor} if cursor else {})}
            page = http.get("/api/v1/runs", params=params).raise_for_status().json()
            found += [r for r in page["runs"] if (r.get("idempotencyKey") or "").startswith(prefix)]
            cursor = page.get("nextCursor")
            if not cursor:
                return found


@pytest.fixture
def freshet(demo: "Demo"):
    from freshet_client import FreshetClient

    with FreshetClient(demo.api, demo.token, timeout=30) as client:
        yield client
