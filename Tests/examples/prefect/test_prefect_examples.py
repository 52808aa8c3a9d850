"""examples/prefect run for real: the flows run in this process (Prefect's temporary local
server, a private PREFECT_HOME) against `freshet demo`, for a data source that refreshes (Sales)
and one whose extract fails in Tableau (Orders), over HTTP and through the CLI.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile

# Prefect reads its settings when imported: a private home and a patient temporary server first.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="prefect-home-")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.pop("PREFECT_API_URL", None)

import pytest  # noqa: E402

from conftest import EXAMPLES, Demo  # noqa: E402

sys.path.insert(0, str(EXAMPLES / "prefect"))
import freshet_refresh_flow as example  # noqa: E402

TABLEAU_NOTES = "Login failed for user 'etl'"  # the demo seed's failure notes for Orders


@pytest.fixture(scope="session", autouse=True)
def quiet_exit() -> object:
    """Prefect logs "Stopping temporary server" at interpreter exit, after pytest has closed the
    streams its handlers write to; silence INFO then instead of printing a logging traceback."""
    yield
    logging.disable(logging.INFO)


@pytest.fixture
def over_http(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> Demo:
    monkeypatch.setenv("FRESHET_SERVER", demo.api)
    monkeypatch.setenv("FRESHET_TOKEN", demo.token)
    return demo


@pytest.fixture(params=["data-dir", "server"])
def with_cli(demo: Demo, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Demo:
    """The CLI straight on the demo's data directory, or as a client of its server."""
    monkeypatch.setenv("FRESHET_BIN", str(demo.binary))
    if request.param == "server":
        monkeypatch.setenv("FRESHET_SERVER", demo.api)
        monkeypatch.setenv("FRESHET_TOKEN", demo.token)
        monkeypatch.delenv("FRESHET_DATA_DIR", raising=False)
    else:
        monkeypatch.delenv("FRESHET_SERVER", raising=False)
        monkeypatch.delenv("FRESHET_TOKEN", raising=False)
        monkeypatch.setenv("FRESHET_DATA_DIR", str(demo.data_dir))
    return demo


def test_http_refresh_that_succeeds(over_http: Demo) -> None:
    state = example.refresh_over_http(datasource="Sales", return_state=True)
    assert state.is_completed(), state
    run = state.result()
    assert run["state"] == "succeeded" and run["finished"] is True and run["itemName"] == "Sales"


def test_http_failing_extract_fails_the_flow(over_http: Demo) -> None:
    state = example.refresh_over_http(datasource="Orders", return_state=True)
    assert state.is_failed(), state
    with pytest.raises(example.RefreshFailed, match=TABLEAU_NOTES):
        state.result()


def test_http_failure_raises_when_called_plainly(over_http: Demo) -> None:
    with pytest.raises(example.RefreshFailed, match="Tableau refresh failed"):
        example.refresh_over_http(datasource="Orders")


def test_cli_refresh_that_succeeds(with_cli: Demo) -> None:
    state = example.refresh_with_cli(datasource="Sales", return_state=True)
    assert state.is_completed(), state
    assert "succeeded" in state.result()


def test_cli_failing_extract_fails_the_flow(with_cli: Demo) -> None:
    state = example.refresh_with_cli(datasource="Orders", return_state=True)
    assert state.is_failed(), state
    with pytest.raises(example.RefreshFailed, match=r"(?s)exited 1: .*" + TABLEAU_NOTES):
        state.result()
