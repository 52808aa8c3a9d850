"""tabcmd 2.0.21 (its own venv, pinned TSC 0.41): login with a PAT, refreshextracts --synchronous."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, pat_secret

TABCMD = REPO / ".venv-tabcmd" / "bin" / "tabcmd"
TIMEOUT = 60


@pytest.fixture(scope="module")
def tabcmd(emulator, tmp_path_factory):
    """Runs tabcmd with HOME in a private directory, so its session file is isolated."""
    if not TABCMD.exists():
        pytest.fail(f"{TABCMD} is missing: run scripts/python-env")
    home = tmp_path_factory.mktemp("tabcmd-home")
    env = {**os.environ, "HOME": str(home), "USERPROFILE": str(home)}
    env.pop("TABLEAU_SERVER", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(TABCMD), *args], env=env, cwd=home, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL
        )

    run.home = home  # type: ignore[attr-defined]
    return run


def output(result: subprocess.CompletedProcess) -> str:
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def logged_in(emulator, tabcmd):
    result = tabcmd("login", "-s", emulator.url, "--token-name", "fid-tabcmd", "--token-value", pat_secret("fid-tabcmd"))
    assert result.returncode == 0, output(result)
    return result


def test_login_with_a_personal_access_token(emulator, tabcmd, logged_in):
    assert "Succeeded" in output(logged_in)
    session_files = list(Path(tabcmd.home).rglob("tableau_auth.json"))
    assert session_files, "tabcmd did not store its session under HOME"
    assert emulator.url in session_files[0].read_text()
    signins = [r for r in emulator.request_log() if r["path"].lower().endswith("/auth/signin")]
    assert signins and all(r["status"] == 200 for r in signins)


def test_refreshextracts_synchronous_succeeds(emulator, tabcmd, logged_in):
    emulator.clear_request_log()
    result = tabcmd("refreshextracts", "--datasource", "Tabcmd Success", "--synchronous")
    assert result.returncode == 0, output(result)
    assert "finish_code(0)" in output(result)
    log = emulator.request_log()
    refreshes = [r for r in log if r["method"] == "POST" and r["path"].endswith("/refresh")]
    assert len(refreshes) == 1 and refreshes[0]["status"] == 202
    polls = [r for r in log if r["method"] == "GET" and "/jobs/" in r["path"]]
    assert polls, "tabcmd did not poll the job"
    [job] = [j for j in emulator.jobs() if j["itemName"] == "Tabcmd Success"]
    assert job["status"] == "Success"


def test_refreshextracts_synchronous_failure_exits_non_zero(emulator, tabcmd, logged_in):
    result = tabcmd("refreshextracts", "--datasource", "Tabcmd Failure", "--synchronous")
    assert result.returncode != 0, output(result)
    assert "TABCMD-NOTES: the extract could not be refreshed" in output(result)
    [job] = [j for j in emulator.jobs() if j["itemName"] == "Tabcmd Failure"]
    assert job["status"] == "Failed"


def test_refreshextracts_unknown_datasource_exits_non_zero(tabcmd, logged_in):
    result = tabcmd("refreshextracts", "--datasource", "No Such Data Source", "--synchronous")
    assert result.returncode != 0, output(result)


def test_refreshextracts_in_a_named_project(emulator, tabcmd, logged_in):
    # Without --project tabcmd looks in "Default"; Orders Failing lives in Finance.
    result = tabcmd("refreshextracts", "--datasource", "Orders Failing", "--project", "Finance")
    assert result.returncode == 0, output(result)
    [job] = [j for j in emulator.jobs() if j["itemName"] == "Orders Failing"]
    assert job["type"] == "datasource"
